import {
  customerMatchesRule,
  type Db,
  getEventWithSubjects,
  getRunByWorkflowId,
  listActiveRunsForCustomer,
  listLiveJourneys,
  listRuns,
  upsertRun,
} from '@hourglass/db';
import { decideEntry, isDateEvent, triggerMatches } from '@hourglass/journey';
import {
  journeyWorkflowId,
  type RunEvent,
  signalRunEvent,
  startJourneyRun,
} from '@hourglass/workflows/client';
import type { TemporalDeps } from '../deps';
import { eventContext, ruleContext } from './context';

/** What routing one event did (for logs and tests). */
export type RouteOutcome = {
  started: string[];
  skipped: { journeyId: string; reason: string }[];
  signalled: number;
};

/**
 * Routes one stored event: starts runs of live journeys whose trigger, filter and entry rules match
 * (`triggerMatches` and `decideEntry` of @hourglass/journey; the date sweep's events come through here
 * too), records them, then signals the customer's other active runs. Idempotent: a retry finds runs
 * already started (deterministic workflow ids) and re-signals, which runs dedupe by event id. Throws
 * when Temporal fails, so the outbox retries the event.
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
    plan: l.version.plan,
  }));
  const startedHere = new Set<string>();
  for (const l of live) {
    if (!triggerMatches(l.journey.id, l.plan, event)) continue;
    const skip = (reason: string) => outcome.skipped.push({ journeyId: l.journey.id, reason });
    const { plan } = l;
    const decision = await decideEntry(plan, event, context, {
      customerMatches: (rule) => customerMatchesRule(db, workspaceId, customer.id, rule),
      lastEntry: async () =>
        (await listRuns(db, workspaceId, { journeyId: l.journey.id, customerId: customer.id, limit: 1 }))[0],
    });
    if (!decision.enter) {
      skip(decision.reason);
      continue;
    }
    const { orderId } = decision;
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

  if (!isDateEvent(event.type)) {
    for (const run of await listActiveRunsForCustomer(db, workspaceId, customer.id)) {
      if (startedHere.has(run.workflowId) || run.triggerEventId === event.id) continue;
      if (await signalRunEvent(temporal.client, run.workflowId, runEvent)) outcome.signalled++;
    }
  }
  return outcome;
}
