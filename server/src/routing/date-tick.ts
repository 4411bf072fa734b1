import {
  type Db,
  insertEventOnce,
  listDueCustomers,
  listLiveJourneys,
  listWorkspaceIds,
} from '@hourglass/db';
import type { Plan } from '@hourglass/journey';
import type { FastifyBaseLogger } from 'fastify';
import { DATE_EVENT_PREFIX } from './route-event';

/**
 * One pass of the date trigger: for every live date-triggered journey, each customer whose day it is
 * (in their own time zone, at or after the trigger's local time) gets a synthetic `date.<source>` event
 * with a deterministic id. The event goes through the outbox like any other, so starting the run is
 * durable, and the id makes repeated ticks on the same local day a no-op. Returns events enqueued.
 */
export async function runDateTick(db: Db, now = new Date()): Promise<number> {
  let enqueued = 0;
  for (const workspaceId of await listWorkspaceIds(db)) {
    for (const { journey, version } of await listLiveJourneys(db, workspaceId)) {
      const trigger = (version.plan as unknown as Plan).trigger;
      if (trigger.kind !== 'date') continue;
      let after: string | undefined;
      for (;;) {
        const due = await listDueCustomers(db, workspaceId, trigger, { after, limit: 1000, now });
        for (const { customerId, localDate } of due) {
          const { inserted } = await insertEventOnce(db, workspaceId, {
            id: `date:${journey.id}:${customerId}:${localDate}`,
            type: `${DATE_EVENT_PREFIX}${trigger.source}`,
            customerId,
            occurredAt: now,
            properties: {
              journeyId: journey.id,
              localDate,
              ...(trigger.attribute ? { attribute: trigger.attribute } : {}),
            },
          });
          if (inserted) enqueued++;
        }
        if (due.length < 1000) break;
        after = due[due.length - 1]!.customerId;
      }
    }
  }
  return enqueued;
}

/** Runs the date tick every `everyMs` (default 5 min; a customer's local trigger time is met within that). */
export function startDateTicker(opts: {
  db: Db;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  onEnqueued?: () => void;
  everyMs?: number;
}): { stop: () => void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await runDateTick(opts.db);
      if (n > 0) {
        opts.log.info({ events: n }, 'date triggers due');
        opts.onEnqueued?.();
      }
    } catch (err) {
      opts.log.error({ err }, 'date tick failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, opts.everyMs ?? 300_000);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
