import { type Executor, performedCounts } from '@hourglass/db';
import { evaluateRule, type Rule, type RuleReason, rulePerformed, ruleSegments } from '@hourglass/journey';
import { customerContext, loadSubjects, orderContext } from './context';
import type { DecideInput, DecideResult } from './types';

/** A reason tagged with the branch case it belongs to. */
export type CaseReason = RuleReason & { case: string };

/**
 * Evaluates the cases in order against fresh customer / order data and the trigger; the first true
 * case wins. Reasons of every case evaluated up to the winner are returned, so support staff see
 * why earlier branches were not taken too.
 */
export async function decideByRules(db: Executor, input: DecideInput): Promise<DecideResult> {
  const { run } = input;
  const { customer, order } = await loadSubjects(db, run.workspaceId, run.customerId, run.orderId);
  const context = {
    customer: customerContext(customer),
    order: order ? orderContext(order) : null,
    trigger: input.trigger,
  };
  const rules = input.cases.map((c) => c.rule as Rule);
  const segmentIds = [...new Set(rules.flatMap(ruleSegments))];
  const segmentRules = segmentIds.length
    ? await db.query.segments.findMany({
        where: (s, { and, eq, inArray }) =>
          and(eq(s.workspaceId, run.workspaceId), inArray(s.id, segmentIds)),
      })
    : [];
  // One query counts every event type and window any case or referenced segment asks about.
  const wanted = [...rules, ...segmentRules.map((s) => s.rule as Rule)].flatMap(rulePerformed);
  const counts = await performedCounts(db, run.workspaceId, run.customerId, wanted);
  const membership: Record<string, boolean> = {};
  // Rule-based segments are evaluated on the same snapshot, so a branch and its reasons agree.
  for (const row of segmentRules) {
    membership[row.id] = evaluateRule(row.rule as Rule, context, undefined, counts).result;
  }
  const reasons: CaseReason[] = [];
  for (const c of input.cases) {
    const r = evaluateRule(c.rule as Rule, context, membership, counts);
    reasons.push(...r.reasons.map((x) => ({ ...x, case: c.port })));
    if (r.result) return { port: c.port, label: c.label, reasons };
  }
  return { port: input.defaultPort, label: null, reasons };
}
