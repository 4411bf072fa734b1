import {
  type CaseReason,
  customerSubject,
  type Executor,
  orderSubject,
  performedCounts,
  runMessageEngagement,
} from '@hourglass/db';
import {
  evaluateRule,
  type PerformedLookup,
  type Rule,
  type RuleContext,
  ruleMessageSteps,
  rulePerformed,
  ruleSegments,
} from '@hourglass/journey';
import { loadSubjects } from './context';
import type { DecideInput, DecideResult } from './types';

/**
 * The rules of the segments `rules` refer to, and of the segments those refer to, in one query per
 * level of nesting. An unknown id is left out (never a member).
 */
async function loadSegments(db: Executor, workspaceId: string, rules: Rule[]): Promise<Map<string, Rule>> {
  const loaded = new Map<string, Rule>();
  const asked = new Set<string>();
  let wanted = [...new Set(rules.flatMap(ruleSegments))];
  while (wanted.length) {
    for (const id of wanted) asked.add(id);
    const rows = await db.query.segments.findMany({
      where: (s, { and, eq, inArray }) => and(eq(s.workspaceId, workspaceId), inArray(s.id, wanted)),
    });
    for (const row of rows) loaded.set(row.id, row.rule);
    wanted = [...new Set(rows.flatMap((row) => ruleSegments(row.rule)))].filter((id) => !asked.has(id));
  }
  return loaded;
}

/**
 * Membership of each loaded segment, a segment inside another resolved first. As in SQL (segment-sql.ts),
 * a segment that refers back to itself through others does not match at the point where it repeats.
 */
function segmentMembership(
  segmentRules: Map<string, Rule>,
  context: RuleContext,
  counts: PerformedLookup,
): Record<string, boolean> {
  const membership: Record<string, boolean> = {};
  const member = (id: string, path: Set<string>): boolean => {
    if (Object.hasOwn(membership, id)) return membership[id]!;
    const rule = segmentRules.get(id);
    if (!rule || path.has(id)) return false;
    const inner = new Set([...path, id]);
    const nested = Object.fromEntries(ruleSegments(rule).map((s) => [s, member(s, inner)]));
    const result = evaluateRule(rule, context, nested, counts).result;
    if (path.size === 0) membership[id] = result;
    return result;
  };
  for (const id of segmentRules.keys()) member(id, new Set());
  return membership;
}

/**
 * Evaluates the cases in order against fresh customer / order data and the trigger; the first true
 * case wins. Reasons of every case evaluated up to the winner are returned, so support staff see
 * why earlier branches were not taken too.
 */
export async function decideByRules(db: Executor, input: DecideInput): Promise<DecideResult> {
  const { run } = input;
  const { customer, order } = await loadSubjects(db, run.workspaceId, run.customerId, run.orderId);
  const context = {
    customer: customerSubject(customer),
    order: order ? orderSubject(order) : null,
    trigger: input.trigger,
    steps: input.steps ?? {},
    // `messages.<step>.*`: engagement with this run's messages, read only when a case asks.
    messages: await runMessageEngagement(
      db,
      run.workspaceId,
      run.runRowId,
      input.cases.flatMap((c) => ruleMessageSteps(c.rule)),
    ),
  };
  const rules = input.cases.map((c) => c.rule);
  const segmentRules = await loadSegments(db, run.workspaceId, rules);
  // One query counts every event type and window any case or referenced segment asks about.
  const wanted = [...rules, ...segmentRules.values()].flatMap(rulePerformed);
  const counts = await performedCounts(db, run.workspaceId, run.customerId, wanted);
  // Rule-based segments are evaluated on the same snapshot, so a branch and its reasons agree.
  const membership = segmentMembership(segmentRules, context, counts);
  const reasons: CaseReason[] = [];
  for (const c of input.cases) {
    const r = evaluateRule(c.rule, context, membership, counts);
    reasons.push(...r.reasons.map((x) => ({ ...x, case: c.port })));
    if (r.result) return { port: c.port, label: c.label, reasons };
  }
  return { port: input.defaultPort, label: null, reasons };
}
