import { type Condition, fieldSpec, type Performed, type Rule } from '@hourglass/journey';
import {
  conditionProblem,
  DEFAULT_SCOPE,
  keyOf,
  NO_VALUE,
  opLabel,
  type RuleScope,
  showValue,
} from './fields';

// The rule editor's model of a rule: groups (all / any / none / not all), leaves (a condition, a segment
// reference, "performed event X at least N times within D days"), their problems and their wording.

/** A rule that is not a group. */
export type Leaf = Condition | { segment: string } | { performed: Performed };

/** Whether a rule is a group (shown as a nested group in the editor). */
export const isGroup = (r: Rule) => 'all' in r || 'any' in r || 'not' in r;

/** A fresh "performed event" condition: placed an order at least once in the last 30 days. */
export const newPerformed = (): { performed: Performed } => ({
  performed: { eventType: 'order.placed', atLeast: 1, withinDays: 30 },
});

const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/i;

/** Problems of a "performed event" condition as typed; null = fine (same bounds as the schema). */
export function performedProblem(p: Performed): string | null {
  if (!p.eventType.trim()) return 'Enter an event type';
  if (!EVENT_TYPE.test(p.eventType) || p.eventType.length > 100)
    return 'Use a dotted event name like order.placed';
  if (!Number.isInteger(p.atLeast) || p.atLeast < 1 || p.atLeast > 1_000_000)
    return 'Enter how many times (at least 1)';
  if (p.withinDays !== null && (!Number.isInteger(p.withinDays) || p.withinDays < 1 || p.withinDays > 3650))
    return 'Enter a number of days from 1 to 3650';
  return null;
}

/** What is wrong with one leaf where it is edited; null = fine. */
export function leafProblem(leaf: Leaf, scope: RuleScope = DEFAULT_SCOPE): string | null {
  if ('segment' in leaf) return leaf.segment ? null : 'Pick a segment';
  if ('performed' in leaf) {
    // Same words as journey compile: filters run on one incoming event, with no event history.
    if (!scope.performed)
      return `"performed ${leaf.performed.eventType}" needs the customer's event history: use it in a branch or a segment`;
    return performedProblem(leaf.performed);
  }
  return conditionProblem(leaf, scope);
}

/** Every problem of a rule, with the path of the condition at fault (`0.1` = second in first group). */
export function ruleProblemsByPath(
  rule: Rule,
  scope: RuleScope = DEFAULT_SCOPE,
  path = '',
): { path: string; message: string }[] {
  if ('all' in rule) return rule.all.flatMap((r, i) => ruleProblemsByPath(r, scope, join(path, i)));
  if ('any' in rule) return rule.any.flatMap((r, i) => ruleProblemsByPath(r, scope, join(path, i)));
  if ('not' in rule) return ruleProblemsByPath(rule.not, scope, path);
  const message = leafProblem(rule, scope);
  return message ? [{ path, message }] : [];
}
const join = (path: string, i: number) => (path ? `${path}.${i}` : String(i));

/** "performed order.placed at least 2 times in the last 30 days". */
export function describePerformed(p: Performed): string {
  const times = p.atLeast === 1 ? 'at least once' : `at least ${p.atLeast} times`;
  const window =
    p.withinDays === null ? 'ever' : `in the last ${p.withinDays} day${p.withinDays === 1 ? '' : 's'}`;
  return `performed ${p.eventType} ${times} ${window}`;
}

/** How a field is named in words: its catalog label, or the key under a free-form prefix. */
export function fieldLabel(field: string): string {
  const spec = fieldSpec(field);
  if (!spec) return field;
  return spec.freeForm ? keyOf(field, spec.path) || spec.label : spec.label;
}

/** One line a marketer can read: "Number of orders is at least 2 and Average order value is more than 300". */
export function describeRule(rule: Rule, segmentName: (id: string) => string = (id) => id): string {
  const inner = (r: Rule): string => {
    if ('all' in r) return r.all.length ? r.all.map(wrap).join(' and ') : 'everyone';
    if ('any' in r) return r.any.length ? r.any.map(wrap).join(' or ') : 'no one';
    if ('not' in r) return `not (${inner(r.not)})`;
    if ('segment' in r) return `in segment “${segmentName(r.segment)}”`;
    if ('performed' in r) return describePerformed(r.performed);
    const what = `${fieldLabel(r.field)} ${opLabel(r.field, r.op)}`;
    return NO_VALUE.has(r.op) ? what : `${what} ${showValue(r.value)}`;
  };
  const wrap = (r: Rule) => ('all' in r || 'any' in r ? `(${inner(r)})` : inner(r));
  return inner(rule);
}

/** How a group combines its items. */
export type Mode = 'all' | 'any' | 'none' | 'notall';
/** A group as the editor shows it. */
export type Group = { mode: Mode; children: Rule[] };

/** Reads any rule as a group the editor can show (a lone condition becomes "all of [it]"). */
export function toGroup(rule: Rule | null): Group {
  if (rule === null) return { mode: 'all', children: [] };
  if ('all' in rule) return { mode: 'all', children: rule.all };
  if ('any' in rule) return { mode: 'any', children: rule.any };
  if ('not' in rule) {
    const inner = rule.not;
    if ('any' in inner) return { mode: 'none', children: inner.any };
    if ('all' in inner) return { mode: 'notall', children: inner.all };
    return { mode: 'none', children: [inner] };
  }
  return { mode: 'all', children: [rule] };
}

/** The rule a group stands for. */
export function fromGroup(g: Group): Rule {
  switch (g.mode) {
    case 'all':
      return { all: g.children };
    case 'any':
      return { any: g.children };
    case 'none':
      return { not: { any: g.children } };
    case 'notall':
      return { not: { all: g.children } };
  }
}
