import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { dateSweep } from '../workflows/date-sweep';

// Each workspace's date schedule: a Temporal Schedule that starts the date sweep workflow.

/** Workflow type the date schedules start (../workflows/date-sweep.ts). */
export const DATE_SWEEP_WORKFLOW = 'dateSweep';

/**
 * How often a workspace's date schedule sweeps: every customer's local trigger time (whole hours and
 * minutes, any UTC offset) is met within this, and a sweep that finds nothing due is one cheap query.
 */
export const DATE_SWEEP_EVERY = '15 minutes';

/** Sweeps missed while Temporal (or every worker) was down are made up when they fall within this. */
export const DATE_SWEEP_CATCHUP = '1 day';

/** Id of a workspace's date schedule. */
export const dateSweepScheduleId = (workspaceId: string) => `hourglass-dates-${workspaceId}`;

/**
 * Creates a workspace's date schedule, or brings an existing one up to date (spec, action, policies):
 * idempotent, called for every workspace when the API starts and when a workspace is created. Every
 * workspace has one, date journeys or not: a sweep without live date journeys is one query, and
 * publishing a date journey then needs no schedule bookkeeping.
 */
export async function ensureDateSweepSchedule(
  client: Client,
  opts: { workspaceId: string; taskQueue: string },
): Promise<'created' | 'updated'> {
  const scheduleId = dateSweepScheduleId(opts.workspaceId);
  const spec = { intervals: [{ every: DATE_SWEEP_EVERY }] };
  // Typed by the sweep workflow (a type-only import), so its arguments are checked.
  const action: ScheduleOptionsStartWorkflowAction<typeof dateSweep> = {
    type: 'startWorkflow',
    workflowType: DATE_SWEEP_WORKFLOW,
    // Temporal appends each run's nominal time to this id.
    workflowId: scheduleId,
    taskQueue: opts.taskQueue,
    args: [{ workspaceId: opts.workspaceId }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DATE_SWEEP_CATCHUP };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}

/** Starts a workspace's date sweep now (on top of its interval), e.g. from tests or an admin action. */
export async function triggerDateSweep(client: Client, workspaceId: string): Promise<void> {
  await client.schedule.getHandle(dateSweepScheduleId(workspaceId)).trigger();
}

/** Deletes a workspace's date schedule (when the workspace goes away); false when there was none. */
export async function deleteDateSweepSchedule(client: Client, workspaceId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(dateSweepScheduleId(workspaceId)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}
