import { type Executor, sweepDateTriggers } from '@hourglass/db';

/** Input of the date sweep activity: the workspace and the moment to sweep as of (epoch ms). */
export type SweepDatesInput = { workspaceId: string; at: number };

/** The date sweep activity, started by each workspace's date schedule (see ../workflows/date-sweep.ts). */
export function createDateSweepActivities(deps: { db: Executor }) {
  return {
    /**
     * Enqueues, through the outbox, one `date.*` event per customer whose date trigger is due at `at`.
     * Event ids are deterministic per journey, customer and local date, so a retry or a second sweep on
     * the same local day enqueues nothing.
     */
    async sweepDates(input: SweepDatesInput): Promise<{ enqueued: number }> {
      return { enqueued: await sweepDateTriggers(deps.db, input.workspaceId, new Date(input.at)) };
    },
  };
}
