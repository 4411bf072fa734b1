import { type Executor, listSegments } from '@hourglass/db';
import {
  expandedRuleSize,
  MAX_EXPANDED_CONDITIONS,
  type Rule,
  ruleIssues,
  ruleSegments,
  tooComplexMessage,
} from '@hourglass/journey';
import { ApiError } from '../plugins/errors';

// Checks a rule before it is stored or run as a segment: every condition against the field catalog
// (400 `rule.*` naming the condition), then the expanded size against MAX_EXPANDED_CONDITIONS (400
// `segment.too_complex`). Whether SQL can express it (customer fields only) is ruleToSql's 422.

/** Throws a 400 for the first bad condition of `rule`; `at` is where the rule sits in the request. */
export function assertRuleFields(rule: Rule, at = 'body.rule'): void {
  const [first] = ruleIssues(rule);
  if (first) throw new ApiError(400, first.code, first.message, `${at}.${first.path}`);
}

/**
 * Throws `segment.too_complex` when `rule` (being saved as `segmentId`, or previewed when absent) expands
 * past the budget, or when saving it would push a segment that uses it, directly or not, past it.
 */
export async function assertSegmentBudget(
  db: Executor,
  workspaceId: string,
  rule: Rule,
  segmentId?: string,
  at = 'body.rule',
): Promise<void> {
  const rows = await listSegments(db, workspaceId);
  const rules = new Map(rows.map((r) => [r.id, r.rule]));
  if (segmentId) rules.set(segmentId, rule);
  const resolve = (id: string) => rules.get(id);
  if (expandedRuleSize(rule, resolve) > MAX_EXPANDED_CONDITIONS) {
    throw new ApiError(400, 'segment.too_complex', tooComplexMessage('This rule'), at);
  }
  if (!segmentId) return;
  // Only segments that reach the changed one can have grown: walk the references backwards.
  const usedBy = new Map<string, string[]>();
  for (const [id, r] of rules) {
    for (const ref of new Set(ruleSegments(r))) {
      const users = usedBy.get(ref) ?? [];
      users.push(id);
      usedBy.set(ref, users);
    }
  }
  const seen = new Set([segmentId]);
  const queue = [segmentId];
  while (queue.length > 0) {
    for (const user of usedBy.get(queue.pop()!) ?? []) {
      if (seen.has(user)) continue;
      seen.add(user);
      queue.push(user);
      if (expandedRuleSize(rules.get(user)!, resolve) > MAX_EXPANDED_CONDITIONS) {
        const name = rows.find((r) => r.id === user)?.name ?? user;
        const message = `${tooComplexMessage(`Segment "${name}"`)} with this change`;
        throw new ApiError(400, 'segment.too_complex', message, at);
      }
    }
  }
}
