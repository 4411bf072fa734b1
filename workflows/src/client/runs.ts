import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  CANCEL_SIGNAL,
  type CancelRequest,
  ENGINE_REVISION,
  EVENT_SIGNAL,
  JOURNEY_STATUS_SIGNAL,
  JOURNEY_WORKFLOW,
  type JourneyRunInput,
  type JourneyStatusChange,
  type RunEvent,
  searchAttributes,
} from './contract';

/** Entry rules as the plan states them. */
export type EntryRule = 'once_per_order' | 'once_per_customer' | 'every_time' | 'at_most_every';

/** Whether an entry rule lets a customer enter again (each entry then gets its own run). */
export const isRepeatingEntry = (entry: EntryRule): boolean =>
  entry === 'every_time' || entry === 'at_most_every';

/**
 * Deterministic workflow id: the same journey, customer (and order, for order-scoped journeys) always map to
 * the same id, so a duplicate trigger can never start a second run. Repeating entry rules (`every_time`,
 * `at_most_every`) add the entry key (the trigger event id): each entry is its own run with its own
 * journey_runs row and message idempotency keys, while a redelivery of the same event maps to the same id.
 */
export function journeyWorkflowId(input: {
  workspaceId: string;
  journeyId: string;
  customerId: string;
  orderId: string | null;
  scope: 'order' | 'customer';
  /** The journey's entry rule; with a repeating rule, `entryKey` is required. */
  entry?: EntryRule;
  /** What makes this entry distinct (the trigger event id). */
  entryKey?: string;
}): string {
  const base = `hg:${input.workspaceId}:journey:${input.journeyId}:customer:${input.customerId}`;
  const scoped = input.scope === 'order' && input.orderId ? `${base}:order:${input.orderId}` : base;
  if (!input.entry || !isRepeatingEntry(input.entry)) return scoped;
  if (!input.entryKey) throw new Error(`entry rule ${input.entry} needs an entry key`);
  return `${scoped}${ENTRY_MARK}${input.entryKey}`;
}

const ENTRY_MARK = ':entry:';

/** What happened when asking Temporal to start a run. */
export type StartOutcome =
  | { started: true; workflowId: string; runId: string }
  | { started: false; workflowId: string; reason: 'already_entered' | 'already_running' };

/**
 * Starts a run. Its id never starts twice (REJECT_DUPLICATE, even after the run ended): `once_per_*` ids
 * are per journey/customer(/order), repeating rules' ids per entry (see {@link journeyWorkflowId}; the
 * period check of `at_most_every` is the caller's, against the runs table). An id without an entry key
 * under a repeating rule (older callers) keeps the old behaviour: a new run once the previous one ended.
 */
export async function startJourneyRun(
  client: Client,
  opts: {
    taskQueue: string;
    workflowId: string;
    entry: EntryRule;
    input: JourneyRunInput;
    /** Set the search attributes (default true); off for servers that do not know them (the Java test server). */
    searchAttributes?: boolean;
  },
): Promise<StartOutcome> {
  const unique = !isRepeatingEntry(opts.entry) || opts.workflowId.includes(ENTRY_MARK);
  try {
    const handle = await client.workflow.start(JOURNEY_WORKFLOW, {
      taskQueue: opts.taskQueue,
      workflowId: opts.workflowId,
      args: [{ ...opts.input, revision: opts.input.revision ?? ENGINE_REVISION }],
      workflowIdReusePolicy: unique
        ? WorkflowIdReusePolicy.REJECT_DUPLICATE
        : WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      ...(opts.searchAttributes === false
        ? {}
        : {
            typedSearchAttributes: [
              { key: searchAttributes.CustomerId, value: opts.input.customerId },
              { key: searchAttributes.JourneyId, value: opts.input.journeyId },
              { key: searchAttributes.JourneyVersion, value: opts.input.version },
              { key: searchAttributes.CurrentStep, value: 'start' },
            ],
          }),
    });
    return { started: true, workflowId: opts.workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return {
        started: false,
        workflowId: opts.workflowId,
        reason: unique ? 'already_entered' : 'already_running',
      };
    }
    throw err;
  }
}

/** Delivers an event to a run; resolves false when the run no longer exists or has ended. */
export async function signalRunEvent(client: Client, workflowId: string, event: RunEvent): Promise<boolean> {
  return signalIgnoringGone(client, workflowId, EVENT_SIGNAL, event);
}

/** Asks a run to stop with a reason. */
export async function cancelRun(
  client: Client,
  workflowId: string,
  request: CancelRequest,
): Promise<boolean> {
  return signalIgnoringGone(client, workflowId, CANCEL_SIGNAL, request);
}

/** Tells a run its journey was paused, resumed or archived. */
export async function signalJourneyStatus(
  client: Client,
  workflowId: string,
  change: JourneyStatusChange,
): Promise<boolean> {
  return signalIgnoringGone(client, workflowId, JOURNEY_STATUS_SIGNAL, change);
}

async function signalIgnoringGone(
  client: Client,
  workflowId: string,
  signal: string,
  payload: unknown,
): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(signal, payload);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Workflow type the date schedules start (./workflows/date-sweep.ts). */
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
  const action = {
    type: 'startWorkflow' as const,
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
