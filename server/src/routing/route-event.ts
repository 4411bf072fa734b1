import {
  customerMatchesRule,
  DATE_EVENT_PREFIX,
  type Db,
  type Event,
  getEventWithSubjects,
  getRunByWorkflowId,
  type Journey,
  type JourneyVersion,
  listActiveRunsForCustomer,
  listLiveJourneys,
  listRuns,
  upsertRun,
} from '@hourglass/db';
import { evaluateRule, type Plan } from '@hourglass/journey';
import { journeyWorkflowId, type RunEvent, signalRunEvent, startJourneyRun } from '@hourglass/workflows';
import type { TemporalDeps } from '../deps';
import { eventContext, ruleContext } from './context';

/** Synthetic events that start one date-triggered journey (enqueued by the date sweep) carry its id. */
export { DATE_EVENT_PREFIX };

/** What routing one event did (for logs and tests). */
export type RouteOutcome = {
  started: string[];
  skipped: { journeyId: string; reason: string }[];
  signalled: number;
};

type Live = { journey: Journey; version: JourneyVersion; plan: Plan };

function triggerMatches(live: Live, event: Event): boolean {
  const t = live.plan.trigger;
  if (t.kind === 'event') return t.eventType === event.type;
  // Date triggers are fed by the date sweep through a synthetic event naming the journey.
  return event.type === `${DATE_EVENT_PREFIX}${t.source}` && event.properties.journeyId === live.journey.id;
}

/**
 * Routes one stored event: starts runs of live journeys whose trigger, filter and entry rules match, records
 * them, then signals the customer's other active runs. Idempotent: a retry finds runs already started
 * (deterministic workflow ids) and re-signals, which runs dedupe by event id. Throws when Temporal fails,
 * so the outbox retries the event.
 */
export async function routeEvent(
  db: Db,
  temporal: TemporalDeps,
  workspaceId: string,
  eventId: string,
): Promise<RouteOutcome> {
  const outcome: RouteOutcome = { started: [], skipped: [], signalled: 0 };
  const subjects = await getEventWithSubjects(db, workspaceId, eventId);
  if (!subjects?.customer) return outcome;
  const { event, customer, order } = subjects;
  const context = ruleContext(customer, order, event);
  const runEvent: RunEvent = { ...eventContext(event), orderId: event.orderId };

  const live = (await listLiveJourneys(db, workspaceId)).map((l) => ({
    ...l,
    plan: l.version.plan as unknown as Plan,
  }));
  const startedHere = new Set<string>();
  for (const l of live) {
    if (!triggerMatches(l, event)) continue;
    const skip = (reason: string) => outcome.skipped.push({ journeyId: l.journey.id, reason });
    const { plan } = l;
    if (
      plan.trigger.kind === 'event' &&
      plan.trigger.filter &&
      !evaluateRule(plan.trigger.filter, context).result
    ) {
      skip('filter');
      continue;
    }
    if (plan.scope === 'order' && !event.orderId) {
      skip('no_order');
      continue;
    }
    if (
      plan.entry.segmentRule &&
      !(await customerMatchesRule(db, workspaceId, customer.id, plan.entry.segmentRule))
    ) {
      skip('entry_rule');
      continue;
    }
    if (
      plan.entry.segmentId &&
      !(await customerMatchesRule(db, workspaceId, customer.id, { segment: plan.entry.segmentId }))
    ) {
      skip('entry_segment');
      continue;
    }
    if (plan.entry.rule === 'at_most_every') {
      const [last] = await listRuns(db, workspaceId, {
        journeyId: l.journey.id,
        customerId: customer.id,
        limit: 1,
      });
      const periodMs = (plan.entry.periodDays ?? 1) * 86_400_000;
      // The run started by an earlier attempt at this same event does not count against it.
      if (
        last &&
        last.triggerEventId !== event.id &&
        event.occurredAt.getTime() - last.startedAt.getTime() < periodMs
      ) {
        skip('entry_period');
        continue;
      }
    }
    const orderId = plan.scope === 'order' ? event.orderId : null;
    const workflowId = journeyWorkflowId({
      workspaceId,
      journeyId: l.journey.id,
      customerId: customer.id,
      orderId,
      scope: plan.scope,
      // Repeating entry rules: one run per entry, keyed by the trigger event (a redelivery maps to it).
      entry: plan.entry.rule,
      entryKey: event.id,
    });
    const started = await startJourneyRun(temporal.client, {
      taskQueue: temporal.taskQueue,
      workflowId,
      entry: plan.entry.rule,
      input: {
        workspaceId,
        journeyId: l.journey.id,
        version: l.version.version,
        customerId: customer.id,
        orderId,
        trigger: runEvent,
      },
    });
    if (!started.started && started.reason === 'already_entered') {
      skip('already_entered');
      continue;
    }
    if (!started.started) {
      // Running already: from an earlier attempt at this event (record the run if that attempt could
      // not), or from another event (leave it alone; it gets this event as a signal below).
      const existing = await getRunByWorkflowId(db, workspaceId, workflowId);
      if (existing) {
        skip('already_running');
        continue;
      }
    }
    await upsertRun(db, workspaceId, {
      workflowId,
      journeyId: l.journey.id,
      version: l.version.version,
      customerId: customer.id,
      orderId,
      triggerEventId: event.id,
    });
    startedHere.add(workflowId);
    outcome.started.push(workflowId);
  }

  if (!event.type.startsWith(DATE_EVENT_PREFIX)) {
    for (const run of await listActiveRunsForCustomer(db, workspaceId, customer.id)) {
      if (startedHere.has(run.workflowId) || run.triggerEventId === event.id) continue;
      if (await signalRunEvent(temporal.client, run.workflowId, runEvent)) outcome.signalled++;
    }
  }
  return outcome;
}
