import { type Db, deleteWorkspace, listJourneys, listRuns, setJourneyStatus } from '@hourglass/db';
import { deleteDateSweepSchedule, runIsOpen, terminateRun } from '@hourglass/workflows/client';
import type { FastifyBaseLogger } from 'fastify';
import type { TemporalDeps } from '../deps';
import { ApiError } from '../plugins/errors';
import { signalRunsOfJourney } from './journeys';

/** What deleting a workspace did to its runs. */
export interface WorkspaceStop {
  journeys: number;
  /** Runs told to end (as archiving their journey does). */
  signalled: number;
  /** Runs that had not ended within the wait and were terminated. */
  terminated: number;
}

const STOP_REASON = 'workspace deleted';

/**
 * Deletes a workspace after stopping its runs cleanly. Every journey is archived (so events start no
 * new runs) and its runs in flight are told so, exactly as archiving a journey does; they record their
 * end (`cancelled`, reason `archived`) while their rows still exist. Runs still open after `waitMs`
 * (no worker running, say) are terminated, so none wakes up later to write into a workspace that is
 * gone. Then the date schedule and the rows go. Without Temporal there are no runs to stop.
 */
export async function deleteWorkspaceCleanly(
  deps: { db: Db; temporal: TemporalDeps | null | undefined; log: FastifyBaseLogger },
  workspaceId: string,
  opts: { waitMs?: number } = {},
): Promise<WorkspaceStop> {
  const { db, temporal, log } = deps;
  const stop: WorkspaceStop = { journeys: 0, signalled: 0, terminated: 0 };
  if (temporal) {
    for (const journey of await listJourneys(db, workspaceId)) {
      stop.journeys++;
      const archived =
        journey.status === 'archived'
          ? journey
          : await setJourneyStatus(db, workspaceId, journey.id, 'archived');
      if (!archived) continue;
      const counts = await signalRunsOfJourney(db, temporal, archived, 'archived', log);
      stop.signalled += counts.signalled;
    }
    const fail = unavailable(log, workspaceId);
    stop.terminated = await endOpenRuns(temporal, await openWorkflowIds(db, workspaceId), {
      waitMs: opts.waitMs ?? 10_000,
      fail,
    });
    await deleteDateSweepSchedule(temporal.client, workspaceId).catch(fail);
  }
  await deleteWorkspace(db, workspaceId);
  return stop;
}

/** Waits for the workspace's open runs to end, then terminates the rest; returns how many it terminated. */
async function endOpenRuns(
  temporal: TemporalDeps,
  workflowIds: string[],
  opts: { waitMs: number; fail: (err: unknown) => never },
): Promise<number> {
  let open = workflowIds;
  const deadline = Date.now() + opts.waitMs;
  while (open.length > 0 && Date.now() < deadline) {
    const still = await inBatches(open, (id) => runIsOpen(temporal.client, id).catch(opts.fail));
    open = open.filter((_, i) => still[i]);
    if (open.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  const ended = await inBatches(open, (id) =>
    terminateRun(temporal.client, id, STOP_REASON).catch(opts.fail),
  );
  return ended.filter(Boolean).length;
}

/** Workflow ids of every run the workspace's rows say is running or waiting. */
async function openWorkflowIds(db: Db, workspaceId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const runs = await listRuns(db, workspaceId, { status: ['running', 'waiting'], limit: 500, offset });
    ids.push(...runs.map((r) => r.workflowId));
    if (runs.length < 500) return ids;
  }
}

// Temporal calls a few at a time: a workspace may have thousands of runs.
async function inBatches<T>(ids: string[], call: (id: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 20) out.push(...(await Promise.all(ids.slice(i, i + 20).map(call))));
  return out;
}

// Deleting the rows while runs may still be open would leave them failing against missing data: refuse.
const unavailable =
  (log: FastifyBaseLogger, workspaceId: string) =>
  (err: unknown): never => {
    log.warn({ err, workspaceId }, 'could not stop the runs of a workspace being deleted');
    throw new ApiError(
      503,
      'unavailable',
      "The workspace's runs could not be stopped (Temporal unreachable): it was not deleted; retry shortly",
    );
  };
