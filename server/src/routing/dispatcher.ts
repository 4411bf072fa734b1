import { claimOutboxBatch, type Db, markOutboxDone, markOutboxFailed } from '@hourglass/db';
import type { FastifyBaseLogger } from 'fastify';
import type { TemporalDeps } from '../deps';
import { routeEvent } from './route-event';

/** Options of the outbox dispatcher. */
export interface DispatcherOptions {
  db: Db;
  temporal: TemporalDeps;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Rows claimed per round (default 100). */
  batchSize?: number;
  /** Idle poll interval (default 500 ms); poke() wakes it sooner. */
  pollMs?: number;
  /** Base retry backoff, doubled per attempt (default 1 s; max 5 min). */
  backoffMs?: number;
  /** Routes of one round run this many at a time (default 8). */
  concurrency?: number;
}

/** The running dispatcher. */
export interface Dispatcher {
  /** Route now instead of at the next poll (called after ingest). */
  poke(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
  /** Resolves once a round finds nothing due (tests). */
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * Routes the event outbox: claims due rows (leased, so several API processes can run it), routes each
 * event, and marks it done or failed with exponential backoff. Retries never stop, so an accepted event
 * reaches its journeys once Temporal is back.
 */
export function startDispatcher(opts: DispatcherOptions): Dispatcher {
  const batchSize = opts.batchSize ?? 100;
  const pollMs = opts.pollMs ?? 500;
  const concurrency = opts.concurrency ?? 8;
  let stopped = false;
  // Set by poke() while a round runs: events arrived that the round may not have claimed.
  let poked = false;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];

  async function round(): Promise<number> {
    const rows = await claimOutboxBatch(opts.db, batchSize, { leaseMs: 60_000 });
    const queue = [...rows];
    const work = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        try {
          await routeEvent(opts.db, opts.temporal, row.workspaceId, row.eventId);
          await markOutboxDone(opts.db, row.workspaceId, row.id);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          opts.log.warn(
            { eventId: row.eventId, attempts: row.attempts, err: message },
            'routing failed; will retry',
          );
          await markOutboxFailed(opts.db, row.workspaceId, row.id, message.slice(0, 1000), {
            baseMs: opts.backoffMs ?? 1000,
            maxMs: 300_000,
          }).catch(() => {});
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, work));
    return rows.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let n = 0;
      poked = false;
      try {
        n = await round();
      } catch (err) {
        opts.log.error({ err }, 'outbox round failed');
      }
      // Claim again at once when the batch was full or events arrived meanwhile. A short batch with
      // no arrival means nothing else was due: skip the empty claim and wait for the next poke (rows
      // that come due later, such as retries, are found by the poll).
      if (n >= batchSize || (n > 0 && poked)) continue;
      if (n === 0) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
      }
      if (poked || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    poke: () => {
      poked = true;
      wake?.();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
    drain: (timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('dispatcher did not drain')), timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        poked = true;
        wake?.();
      }),
  };
}
