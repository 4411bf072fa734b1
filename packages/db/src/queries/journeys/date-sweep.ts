import { dateTriggerEvent, dateTriggerOf } from '@hourglass/journey';
import type { Executor } from '../../client';
import { insertEventOnce } from '../customers/events';
import { listDueCustomers, listWorkspaceIds } from './date-triggers';
import { listLiveJourneys } from './journeys';

const PAGE = 1000;

/**
 * One date sweep of a workspace: for every live date-triggered journey, each customer whose day it is
 * (in their own time zone, at or after the trigger's local time, as of `now`) gets a synthetic
 * `date.<source>` event with a deterministic id (`dateTriggerEvent` of @hourglass/journey). The event
 * goes through the outbox like any other, so starting the run is durable, the entry checks are routing's
 * (the same as for any trigger), and the id makes repeated sweeps on the same local day a no-op. Returns
 * the events enqueued.
 */
export async function sweepDateTriggers(
  db: Executor,
  workspaceId: string,
  now = new Date(),
): Promise<number> {
  let enqueued = 0;
  for (const { journey, version } of await listLiveJourneys(db, workspaceId)) {
    const trigger = dateTriggerOf(version.plan);
    if (!trigger) continue;
    let after: string | undefined;
    for (;;) {
      const due = await listDueCustomers(db, workspaceId, trigger, { after, limit: PAGE, now });
      for (const customer of due) {
        const event = dateTriggerEvent(journey.id, trigger, customer);
        const { inserted } = await insertEventOnce(db, workspaceId, { ...event, occurredAt: now });
        if (inserted) enqueued++;
      }
      if (due.length < PAGE) break;
      after = due[due.length - 1]!.customerId;
    }
  }
  return enqueued;
}

/** A date sweep of every workspace (what the per-workspace schedules do, all at once). */
export async function sweepAllDateTriggers(db: Executor, now = new Date()): Promise<number> {
  let enqueued = 0;
  for (const workspaceId of await listWorkspaceIds(db))
    enqueued += await sweepDateTriggers(db, workspaceId, now);
  return enqueued;
}
