import {
  customerMatchesRule,
  type Db,
  getEventWithSubjects,
  getRunByWorkflowId,
  getVersion,
  listActiveRunsForCustomer,
  listLiveJourneys,
  listRuns,
  type RoutingDecisionInput,
  recordRoutingDecisions,
  upsertRun,
} from '@hourglass/db';
import { decideEntry, isDateEvent, type Plan, triggerMatches } from '@hourglass/journey';
import {
  journeyWorkflowId,
  type RunEvent,
  signalRunEvent,
  startJourneyRun,
} from '@hourglass/workflows/client';
import type { TemporalDeps } from '../deps';
import { eventContext, ruleContext } from './context';
import { enteredDecision, idleJourneyDecisions, ignoredByRun, skippedEntry } from './decisions';

/**
 * The run whose message an engagement event (`message.*`, `sms.replied`) is about, or null for any
 * other event. Such an event goes to that run only: a wait or branch about "the message of step X"
 * must not wake on another run's message of the same step (another order, an earlier entry).
 */
function engagementRun(event: { type: string; properties: Record<string, unknown> }): string | null {
  if (!event.type.startsWith('message.') && event.type !== 'sms.replied') return null;
  const runId = event.properties.runId;
  return typeof runId === 'string' ? runId : null;
}

/** What routing one event did (for logs and tests). */
export type RouteOutcome = {
  started: string[];
  skipped: { journeyId: string; reason: string }[];
  signalled: number;
};

/**
 * Routes one stored event: starts runs of live journeys whose trigger, filter and entry rules match
 * (`triggerMatches` and `decideEntry` of @hourglass/journey; the date sweep's events come through here
 * too), records them, then signals the customer's other active runs. Every journey the event would
 * start, live or not, gets a routing decision (entered, or why not), and a waiting run told an event
 * its step does not wait for gets a note; they are stored together at the end. Idempotent: a retry finds runs
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
  const decisions: RoutingDecisionInput[] = isDateEvent(event.type)
    ? []
    : await idleJourneyDecisions(db, workspaceId, event);
  for (const l of live) {
    if (!triggerMatches(l.journey.id, l.plan, event)) continue;
    const skip = (reason: string) => outcome.skipped.push({ journeyId: l.journey.id, reason });
    const { plan } = l;
    let lastEntry: { startedAt: Date } | undefined;
    const decision = await decideEntry(plan, event, context, {
      customerMatches: (rule) => customerMatchesRule(db, workspaceId, customer.id, rule),
      lastEntry: async () => {
        const [last] = await listRuns(db, workspaceId, {
          journeyId: l.journey.id,
          customerId: customer.id,
          limit: 1,
        });
        lastEntry = last;
        return last;
      },
    });
    if (!decision.enter) {
      skip(decision.reason);
      decisions.push(
        await skippedEntry(db, workspaceId, l.journey.id, plan, event, decision, lastEntry?.startedAt),
      );
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
      decisions.push(await skippedEntry(db, workspaceId, l.journey.id, plan, event, started));
      continue;
    }
    if (!started.started) {
      // Running already: from an earlier attempt at this event (record the run if that attempt could
      // not), or from another event (leave it alone; it gets this event as a signal below).
      const existing = await getRunByWorkflowId(db, workspaceId, workflowId);
      if (existing) {
        skip('already_running');
        decisions.push(
          existing.triggerEventId === event.id
            ? enteredDecision(l.journey.id, plan, event, existing.id)
            : await skippedEntry(db, workspaceId, l.journey.id, plan, event, { reason: 'already_running' }),
        );
        continue;
      }
    }
    const run = await upsertRun(db, workspaceId, {
      workflowId,
      journeyId: l.journey.id,
      version: l.version.version,
      customerId: customer.id,
      orderId,
      triggerEventId: event.id,
    });
    startedHere.add(workflowId);
    outcome.started.push(workflowId);
    decisions.push(enteredDecision(l.journey.id, plan, event, run.id));
  }

  if (!isDateEvent(event.type)) {
    // Plans of the versions waiting runs pinned, read once per event (live ones are at hand).
    const plans = new Map<string, Plan | null>(
      live.map((l) => [`${l.journey.id}@${l.version.version}`, l.plan]),
    );
    const planOf = async (run: { journeyId: string; version: number }) => {
      const key = `${run.journeyId}@${run.version}`;
      if (!plans.has(key))
        plans.set(key, (await getVersion(db, workspaceId, run.journeyId, run.version))?.plan ?? null);
      return plans.get(key) ?? null;
    };
    const ownRun = engagementRun(event);
    for (const run of await listActiveRunsForCustomer(db, workspaceId, customer.id)) {
      if (startedHere.has(run.workflowId) || run.triggerEventId === event.id) continue;
      if (ownRun !== null && run.id !== ownRun) continue;
      if (await signalRunEvent(temporal.client, run.workflowId, runEvent)) {
        outcome.signalled++;
        const ignored = run.waitingFor?.kind === 'await' ? ignoredByRun(run, await planOf(run), event) : null;
        if (ignored) decisions.push(ignored);
      }
    }
  }
  await recordRoutingDecisions(db, workspaceId, customer.id, decisions);
  return outcome;
}
