import type { EntryRule } from '@hourglass/journey';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { type SignalDefinition, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  type CancelRequest,
  cancelSignal,
  ENGINE_REVISION,
  eventSignal,
  JOURNEY_WORKFLOW,
  type JourneyRunInput,
  type JourneyStatusChange,
  journeyStatusSignal,
  type RunEvent,
  searchAttributes,
} from '../contract';
// A type only: the client names the workflow and checks its arguments without loading workflow code.
import type { journeyRun } from '../workflows/journey';

export type { EntryRule };

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
    const handle = await client.workflow.start<typeof journeyRun>(JOURNEY_WORKFLOW, {
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
  return signalIgnoringGone(client, workflowId, eventSignal, event);
}

/** Asks a run to stop with a reason. */
export async function cancelRun(
  client: Client,
  workflowId: string,
  request: CancelRequest,
): Promise<boolean> {
  return signalIgnoringGone(client, workflowId, cancelSignal, request);
}

/** Tells a run its journey was paused, resumed or archived. */
export async function signalJourneyStatus(
  client: Client,
  workflowId: string,
  change: JourneyStatusChange,
): Promise<boolean> {
  return signalIgnoringGone(client, workflowId, journeyStatusSignal, change);
}

/** Whether a run is still open (running); false once it ended or when Temporal no longer knows it. */
export async function runIsOpen(client: Client, workflowId: string): Promise<boolean> {
  try {
    const d = await client.workflow.getHandle<typeof journeyRun>(workflowId).describe();
    return d.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Ends a run at once without letting it take another step (its workspace is being deleted, so it must
 * not record anything more); false when it was not open.
 */
export async function terminateRun(client: Client, workflowId: string, reason: string): Promise<boolean> {
  try {
    await client.workflow.getHandle<typeof journeyRun>(workflowId).terminate(reason);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function signalIgnoringGone<Payload>(
  client: Client,
  workflowId: string,
  signal: SignalDefinition<[Payload]>,
  payload: Payload,
): Promise<boolean> {
  try {
    await client.workflow.getHandle<typeof journeyRun>(workflowId).signal(signal, payload);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
