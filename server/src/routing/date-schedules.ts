import { type Executor, listWorkspaceIds } from '@hourglass/db';
import { ensureDateSweepSchedule } from '@hourglass/workflows/client';
import type { FastifyBaseLogger } from 'fastify';
import type { TemporalDeps } from '../deps';

/**
 * Creates or updates the date schedule of every workspace (`hourglass-dates-<workspaceId>`, see
 * ensureDateSweepSchedule): idempotent. Returns the number of workspaces.
 */
export async function syncDateSchedules(db: Executor, temporal: TemporalDeps): Promise<number> {
  const ids = await listWorkspaceIds(db);
  for (const workspaceId of ids)
    await ensureDateSweepSchedule(temporal.client, { workspaceId, taskQueue: temporal.taskQueue });
  return ids.length;
}

/**
 * At API start: syncs every workspace's date schedule, retrying in the background while Temporal (or
 * the database) is unreachable, so the API starts either way. `ready` resolves after the first
 * successful sync (or when stopped).
 */
export function startDateSchedules(opts: {
  db: Executor;
  temporal: TemporalDeps;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  /** Wait between attempts (default 30 s). */
  retryMs?: number;
}): { ready: Promise<void>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let done: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    done = resolve;
  });
  const attempt = async () => {
    try {
      const n = await syncDateSchedules(opts.db, opts.temporal);
      opts.log.info({ workspaces: n }, 'date schedules in place');
      done();
    } catch (err) {
      if (stopped) return;
      opts.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'date schedules not synced; retrying',
      );
      timer = setTimeout(attempt, opts.retryMs ?? 30_000);
      timer.unref();
    }
  };
  void attempt();
  return {
    ready,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      done();
    },
  };
}
