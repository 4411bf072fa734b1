import type { JourneyDecision, TimelineEntry } from '@hourglass/contract';
import type { RoutingDecision, RoutingDetail } from '@hourglass/db';
import type { EntryPolicy } from '@hourglass/journey';
import { localTime, reasonText } from './explain-format';
import { entryRuleText } from './timeline-entry';

// "Why not?" in words: routing's decisions (entered, or why not) for the profile, and the events a
// waiting run ignored for its timeline. Pure; times in the customer's zone, named.

const RULES: readonly string[] = ['once_per_order', 'once_per_customer', 'every_time', 'at_most_every'];

/** "entry rule once per order", from what routing kept (empty when it kept none). */
function ruleOf(d: RoutingDetail): string {
  if (!d.entryRule || !RULES.includes(d.entryRule)) return '';
  const policy = { rule: d.entryRule, periodDays: d.periodDays } as EntryPolicy;
  return `entry rule ${entryRuleText(policy)}`;
}

const STATUS_WORDS: Record<string, string> = {
  draft: 'a draft (not published)',
  paused: 'paused',
  archived: 'archived',
};

/** "order.placed evt_1 (Fri, Dec 18, 11:05 (Europe/Paris))". */
const eventAt = (d: RoutingDecision, timeZone: string) =>
  `${d.eventType} ${d.eventId} at ${localTime(d.eventAt, timeZone)}`;

/** What is waited for: "order.out_for_delivery" or "order.shipped or order.delivered". */
const waitsText = (d: RoutingDetail) => (d.waitsFor?.length ? d.waitsFor.join(' or ') : 'another event');

/** "order.delivered evt_9 arrived at … and was ignored: this step waits for order.out_for_delivery". */
export function ignoredText(d: RoutingDecision, timeZone: string): string {
  const head = `${d.eventType} ${d.eventId} arrived at ${localTime(d.eventAt, timeZone)} and was ignored`;
  return d.detail.ignoredBecause === 'other_order'
    ? `${head}: it is for another order than this run's, and this step waits for ${waitsText(d.detail)} of its own order`
    : `${head}: this step waits for ${waitsText(d.detail)}`;
}

/** One decision in a sentence: "Did not enter "Review request": the journey was a draft when …". */
export function decisionText(d: RoutingDecision & { journeyName: string }, timeZone: string): string {
  const j = `"${d.journeyName}"`;
  const ev = eventAt(d, timeZone);
  const detail = d.detail;
  const rule = ruleOf(detail);
  const not = `Did not enter ${j}`;
  switch (d.outcome) {
    case 'entered':
      return `Entered ${j} because of ${ev}${rule ? `, ${rule}` : ''}`;
    case 'not_live':
      return `${not}: the journey was ${STATUS_WORDS[detail.journeyStatus ?? ''] ?? 'not live'} when ${d.eventType} ${d.eventId} arrived at ${localTime(d.eventAt, timeZone)}`;
    case 'filter': {
      const failed = (detail.reasons ?? []).filter((r) => !r.passed).map((r) => reasonText(r));
      return `${not}: the trigger's filter did not match ${ev}${failed.length ? ` (${failed.join('; ')})` : ''}`;
    }
    case 'no_order':
      return `${not}: ${ev} carries no order, and the journey runs once per order`;
    case 'entry_rule':
      return `${not}: the customer did not match the journey's entry conditions on ${ev}`;
    case 'entry_segment':
      return `${not}: the customer was not in the entry segment "${detail.segmentName ?? detail.segmentId ?? 'unknown'}" on ${ev}`;
    case 'entry_period': {
      const last = detail.lastEnteredAt
        ? `; last entered ${localTime(new Date(detail.lastEnteredAt), timeZone)}`
        : '';
      return `${not} on ${ev}: ${rule || 'entry rule'}${last}`;
    }
    case 'already_entered': {
      const who = detail.scope === 'customer' ? 'the customer has' : 'this order has';
      return `${not} on ${ev}: ${rule || 'entry rule'}, and ${who} already been through it`;
    }
    case 'already_running': {
      const what = detail.scope === 'customer' ? 'the customer' : 'this order';
      return `${not} on ${ev}: already in the journey (a run for ${what} is still going)`;
    }
    case 'ignored':
      return `${ignoredText(d, timeZone)} (run of ${j})`;
  }
}

/** A decision as the profile API returns it. */
export function decisionView(
  d: RoutingDecision & { journeyName: string },
  timeZone: string,
): JourneyDecision {
  return {
    id: d.id,
    journeyId: d.journeyId,
    journeyName: d.journeyName,
    runId: d.runId,
    eventId: d.eventId,
    eventType: d.eventType,
    eventAt: d.eventAt,
    outcome: d.outcome,
    entered: d.outcome === 'entered',
    journeyStatus: d.detail.journeyStatus ?? null,
    conditions: (d.detail.reasons ?? []).map((r) => ({
      field: r.field,
      op: r.op,
      expected: r.expected ?? null,
      actual: r.actual ?? null,
      passed: r.passed,
    })),
    text: decisionText(d, timeZone),
    decidedAt: d.decidedAt,
  };
}

/** An ignored event as a timeline line, at the step that ignored it. */
export function ignoredTimelineEntry(
  d: RoutingDecision,
  timeZone: string,
  step: { nodeId: string; nodeLabel: string | null },
): TimelineEntry {
  return {
    // Not a step of the plan: one line per ignored event, so several at one wait stay apart.
    stepId: `ignored:${d.eventId}`,
    nodeId: step.nodeId,
    nodeLabel: step.nodeLabel,
    primitive: 'ignored',
    seq: 0,
    at: d.decidedAt,
    finishedAt: d.decidedAt,
    outcome: 'ignored',
    port: null,
    tone: 'info',
    title: ignoredText(d, timeZone),
    details: [],
    messages: [],
    attempts: [],
    output: null,
  };
}
