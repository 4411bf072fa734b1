import {
  type Db,
  type Event,
  getSegment,
  listIdleJourneyTriggers,
  type RoutingDecisionInput,
  type RoutingDetail,
  type Run,
} from '@hourglass/db';
import type { EntryDecision, Plan } from '@hourglass/journey';
import { PlanTrigger } from '@hourglass/journey';
import { TriggerConfig } from '@hourglass/nodes';

// "Why not?": routing notes, per journey whose trigger event a customer had, whether they entered and
// why not, and which events a waiting run was told but ignored. Collected while routing one event and
// stored with recordRoutingDecisions in one write.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event facts every decision carries. */
export const eventFacts = (e: Event) => ({ eventId: e.id, eventType: e.type, eventAt: e.occurredAt });

/** The journey's entry policy as support reads it back. */
const entryFacts = (plan: Pick<Plan, 'entry' | 'scope'>): RoutingDetail => ({
  entryRule: plan.entry.rule,
  ...(plan.entry.periodDays ? { periodDays: plan.entry.periodDays } : {}),
  scope: plan.scope,
});

/** The event type a journey that is not live would have started on (null: a date trigger, or none). */
function idleEventType(j: { publishedTrigger: unknown; draftTrigger: unknown }): string | null {
  const published = PlanTrigger.safeParse(j.publishedTrigger);
  if (published.success) return published.data.kind === 'event' ? published.data.eventType : null;
  if (j.draftTrigger === null || j.draftTrigger === undefined) return null;
  // A draft is saved as drawn: its defaults fill in what the marketer never touched.
  const draft = TriggerConfig.safeParse(j.draftTrigger);
  return draft.success && draft.data.start.kind === 'event' ? draft.data.start.eventType : null;
}

/** Journeys that are not live (draft, paused, archived) but start on this event's type: not entered. */
export async function idleJourneyDecisions(
  db: Db,
  workspaceId: string,
  event: Event,
): Promise<RoutingDecisionInput[]> {
  const idle = await listIdleJourneyTriggers(db, workspaceId);
  return idle
    .filter((j) => idleEventType(j) === event.type)
    .map((j) => ({
      journeyId: j.id,
      ...eventFacts(event),
      outcome: 'not_live' as const,
      detail: { journeyStatus: j.status },
    }));
}

/** A skipped entry as a decision: the reason, the compared values or the entry policy it hit. */
export async function skippedEntry(
  db: Db,
  workspaceId: string,
  journeyId: string,
  plan: Pick<Plan, 'entry' | 'scope'>,
  event: Event,
  skip: Extract<EntryDecision, { enter: false }> | { reason: 'already_entered' | 'already_running' },
  lastEnteredAt?: Date,
): Promise<RoutingDecisionInput> {
  const detail: RoutingDetail = entryFacts(plan);
  if ('reasons' in skip && skip.reasons) detail.reasons = skip.reasons;
  if (skip.reason === 'entry_segment' && plan.entry.segmentId) {
    const id = plan.entry.segmentId;
    const segment = UUID.test(id) ? await getSegment(db, workspaceId, id) : null;
    detail.segmentId = id;
    detail.segmentName = segment?.name ?? null;
  }
  if (skip.reason === 'entry_period' && lastEnteredAt) detail.lastEnteredAt = lastEnteredAt.toISOString();
  return { journeyId, ...eventFacts(event), outcome: skip.reason, detail };
}

/** An entry, with the run it started. */
export const enteredDecision = (
  journeyId: string,
  plan: Pick<Plan, 'entry' | 'scope'>,
  event: Event,
  runId: string | null,
): RoutingDecisionInput => ({
  journeyId,
  runId,
  ...eventFacts(event),
  outcome: 'entered',
  detail: entryFacts(plan),
});

/**
 * Whether a waiting run ignores this event at the step it waits on: another event type than the step
 * (and its other ways out) waits for, or the right type for another order. Events the journey exits or
 * converts on are never "ignored", and an event kept for a later step is still ignored by this one.
 */
export function ignoredByRun(
  run: Pick<Run, 'id' | 'journeyId' | 'status' | 'currentStep' | 'waitingFor' | 'orderId'>,
  plan: Pick<Plan, 'steps' | 'exits' | 'goal'> | null,
  event: Event,
): RoutingDecisionInput | null {
  if (run.status !== 'waiting' || run.waitingFor?.kind !== 'await' || !run.currentStep || !plan) return null;
  const step = plan.steps[run.currentStep];
  if (step?.type !== 'await') return null;
  const journeyWide = [...plan.exits.map((x) => x.eventType), plan.goal?.eventType];
  if (journeyWide.includes(event.type)) return null;
  const waitsFor = [step.event.type, ...(step.orEvents ?? []).map((o) => o.type)];
  let because: RoutingDetail['ignoredBecause'];
  if (!waitsFor.includes(event.type)) because = 'other_event';
  else if (step.event.sameOrder && run.orderId && event.orderId !== run.orderId) because = 'other_order';
  else return null;
  return {
    journeyId: run.journeyId,
    runId: run.id,
    ...eventFacts(event),
    outcome: 'ignored',
    detail: { stepId: step.id, waitsFor, ignoredBecause: because },
  };
}
