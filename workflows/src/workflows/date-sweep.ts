import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';

/** Input of a date sweep: the workspace its schedule belongs to. */
export type DateSweepInput = { workspaceId: string };

const { sweepDates } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2m', backoffCoefficient: 2, maximumAttempts: 10 },
});

// Set by Temporal on every run a schedule starts (trigger-now included).
const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * One date sweep of a workspace, started by its schedule (`hourglass-dates-<workspaceId>`): enqueues
 * the runs due (anniversary, birthday, date attribute ± offset, at each customer's local time) as of
 * the schedule's nominal time, so a catch-up run after downtime sweeps for the moment it stands for.
 */
export async function dateSweep(input: DateSweepInput): Promise<{ enqueued: number }> {
  const nominal = workflowInfo().typedSearchAttributes.get(scheduledStart);
  return sweepDates({ workspaceId: input.workspaceId, at: (nominal ?? new Date()).getTime() });
}
