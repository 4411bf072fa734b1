import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  CANCEL_SIGNAL,
  type CancelRequest,
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

/**
 * Deterministic workflow id: the same journey, customer (and order, for order-scoped journeys) always map to
 * the same id, so a duplicate trigger can never start a second concurrent run.
 */
export function journeyWorkflowId(input: {
  workspaceId: string;
  journeyId: string;
  customerId: string;
  orderId: string | null;
  scope: 'order' | 'customer';
}): string {
  const base = `hg:${input.workspaceId}:journey:${input.journeyId}:customer:${input.customerId}`;
  return input.scope === 'order' && input.orderId ? `${base}:order:${input.orderId}` : base;
}

/** What happened when asking Temporal to start a run. */
export type StartOutcome =
  | { started: true; workflowId: string; runId: string }
  | { started: false; workflowId: string; reason: 'already_entered' | 'already_running' };

/**
 * Starts a run. `once_per_*` rules reject any reuse of the id (even after the run ended); `every_time` and
 * `at_most_every` allow a new run once the previous one ended (the period check of `at_most_every` is the
 * caller's, against the runs table). A run still in flight is never duplicated.
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
  const once = opts.entry === 'once_per_order' || opts.entry === 'once_per_customer';
  try {
    const handle = await client.workflow.start(JOURNEY_WORKFLOW, {
      taskQueue: opts.taskQueue,
      workflowId: opts.workflowId,
      args: [opts.input],
      workflowIdReusePolicy: once
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
        reason: once ? 'already_entered' : 'already_running',
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
