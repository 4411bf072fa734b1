import type { FieldKind } from './field-catalog';
import {
  fieldPath,
  MAX_EXPANDED_CONDITIONS,
  RULE_ROOTS,
  type Rule,
  ruleConditionCount,
  ruleSegments,
} from './rule';
import { fieldKind, KIND_OPS, unsafePathSegment, valueProblem } from './rule-fields';

/** Stable codes of rule problems, shared by API errors and compile diagnostics. */
export type RuleIssueCode = 'rule.invalid' | 'rule.unknown_field' | 'rule.invalid_op' | 'rule.invalid_value';

/**
 * One problem of a rule. `path` is where it sits inside the rule, ending at the condition's own key
 * (`all.0.field`, `any.1.not.value`, or `field` for a rule that is a single condition).
 */
export interface RuleIssue {
  path: string;
  code: RuleIssueCode;
  message: string;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const NO_VALUE = new Set(['exists', 'is_true', 'is_false']);

/**
 * Every problem of a rule, condition by condition: a root outside `allowedRoots` or a missing value
 * (`rule.invalid`), a field that is not in the catalog or names object machinery such as `__proto__`
 * (`rule.unknown_field`), an operator the field's type has no use for (`rule.invalid_op`), a value of
 * the wrong type (`rule.invalid_value`). Iterative, so a deep rule cannot overflow the stack.
 */
export function ruleIssues(
  rule: Rule,
  allowedRoots: readonly string[] = RULE_ROOTS,
  /** Kinds of fields outside the catalog (step outputs `steps.<name>.<field>`, `messages.<step>.<field>`). */
  extraKind?: (field: string) => FieldKind | undefined,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const stack: Array<{ r: Rule; path: string }> = [{ r: rule, path: '' }];
  while (stack.length > 0) {
    const { r, path } = stack.pop()!;
    if ('all' in r || 'any' in r) {
      const [key, items] = 'all' in r ? ['all', r.all] : ['any', r.any];
      items.forEach((x, i) => {
        stack.push({ r: x, path: join(path, `${key}.${i}`) });
      });
    } else if ('not' in r) stack.push({ r: r.not, path: join(path, 'not') });
    else if ('field' in r) {
      const at = (key: string, code: RuleIssueCode, message: string) =>
        issues.push({ path: join(path, key), code, message });
      const root = fieldPath(r.field)[0] ?? '';
      const unsafe = unsafePathSegment(r.field);
      const kind = root === 'steps' || root === 'messages' ? extraKind?.(r.field) : fieldKind(r.field);
      if (!allowedRoots.includes(root)) {
        at('field', 'rule.invalid', `"${r.field}" must start with one of: ${allowedRoots.join(', ')}`);
      } else if (unsafe !== null) {
        at('field', 'rule.unknown_field', `"${r.field}": "${unsafe}" cannot be part of a field name`);
      } else if (!kind) {
        at('field', 'rule.unknown_field', `Unknown field "${r.field}"`);
      } else if (!KIND_OPS[kind].has(r.op)) {
        at('op', 'rule.invalid_op', `"${r.op}" does not apply to "${r.field}"`);
      } else if (!NO_VALUE.has(r.op) && r.value === undefined) {
        at('value', 'rule.invalid', `"${r.field} ${r.op}" needs a value`);
      } else {
        const problem = valueProblem(kind, r.op, r.value);
        if (problem) at('value', 'rule.invalid_value', `"${r.field} ${r.op}" ${problem}`);
      }
    }
  }
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Problems that make a rule meaningless, as messages (see `ruleIssues`). Empty array = fine. `performed`
 * conditions are fully checked by the schema; where they can be evaluated is the caller's concern
 * (see `rulePerformed`).
 */
export function ruleProblems(rule: Rule, allowedRoots: readonly string[] = RULE_ROOTS): string[] {
  return ruleIssues(rule, allowedRoots).map((i) => i.message);
}

// What one rule contributes by itself: its conditions, and the segments it names (with repeats).
type Summary = { conditions: number; refs: string[] };

function summarize(rule: Rule): Summary {
  return { conditions: ruleConditionCount(rule), refs: ruleSegments(rule) };
}

type Path = { id: string; up: Path | null } | null;
const onPath = (path: Path, id: string): boolean => {
  for (let p = path; p; p = p.up) if (p.id === id) return true;
  return false;
};

/**
 * Size of a rule once every segment reference is replaced by that segment's rule, the way SQL and
 * in-memory evaluation expand it: conditions plus references, counted with multiplicity (a segment used
 * 100 times counts 100 times). A segment that repeats on its own path is not expanded again. Each
 * segment's rule is walked once; counting stops as soon as it passes `budget`, so the check costs at
 * most the size of the stored rules plus the budget, whatever the rule would expand to.
 */
export function expandedRuleSize(
  rule: Rule,
  resolve: (segmentId: string) => Rule | undefined,
  budget: number = MAX_EXPANDED_CONDITIONS,
): number {
  const summaries = new Map<string, Summary | null>();
  const summaryOf = (id: string): Summary | null => {
    if (!summaries.has(id)) {
      const r = resolve(id);
      summaries.set(id, r ? summarize(r) : null);
    }
    return summaries.get(id) ?? null;
  };
  let count = 0;
  const stack: Array<{ summary: Summary; path: Path }> = [{ summary: summarize(rule), path: null }];
  while (stack.length > 0) {
    const { summary, path } = stack.pop()!;
    count += summary.conditions + summary.refs.length;
    if (count > budget) return count;
    for (const id of summary.refs) {
      if (onPath(path, id)) continue;
      const inner = summaryOf(id);
      if (inner) stack.push({ summary: inner, path: { id, up: path } });
    }
  }
  return count;
}

/** The `segment.too_complex` message for a rule whose expanded size is over the budget. */
export function tooComplexMessage(what: string): string {
  return `${what} expands to more than ${MAX_EXPANDED_CONDITIONS} conditions through its segment references`;
}
