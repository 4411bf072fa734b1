import { ChannelSendError } from '@hourglass/channels';
import { type Executor, getMessageByIdempotencyKey, getWorkspace, WorkspaceSettings } from '@hourglass/db';
import { safeZone } from '@hourglass/journey';
import { ActionError } from '@hourglass/nodes';
import { ApplicationFailure } from '@temporalio/common';
import { applyRecording } from './record';
import type { SendDeferred } from './send';
import type { ActionInput, AttemptRecord, Recording } from './types';

// Every attempt of an action is recorded by the activity itself, so support can read each retry
// with its provider error, and a quiet-hours deferral as an outcome: no extra workflow history.

/** What the activity knows about its own attempt (Temporal's activity info). */
export interface AttemptInfo {
  attempt: number;
  currentAttemptScheduledTimestampMs: number;
}

/**
 * Workflow time of this attempt, advanced by the real time spent in it. A retry starts when Temporal
 * scheduled it (after the backoff), which the step's `at` (the first scheduling) does not know.
 */
export function attemptClock(stepAt: number, started: number, info: AttemptInfo): () => Date {
  const base = info.attempt > 1 ? Math.max(stepAt, info.currentAttemptScheduledTimestampMs) : stepAt;
  return () => new Date(base + (Date.now() - started));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The Temporal failure for an action error, with an explicit retryable / non-retryable choice. */
export function actionFailure(e: unknown): ApplicationFailure {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof ActionError || (e instanceof Error && e.name === 'ActionError')) {
    const { code, retryable } = e as ActionError;
    // A provider's Retry-After overrides the step's backoff for the next attempt.
    const retryAfterMs = e instanceof ChannelSendError && retryable ? e.retryAfterMs : null;
    return ApplicationFailure.create({
      message: message(e),
      type: code,
      nonRetryable: !retryable,
      ...(retryAfterMs !== null ? { nextRetryDelay: retryAfterMs } : {}),
    });
  }
  // Unknown errors (network, database) are presumed transient.
  return ApplicationFailure.retryable(message(e), 'action.error');
}

type AttemptError = NonNullable<AttemptRecord['error']>;

/**
 * The error as support reads it. A send's provider details (HTTP status, provider code) are on its
 * ledger row, written by the channels package on the same attempt.
 */
async function describeFailure(
  db: Executor,
  input: ActionInput,
  f: ApplicationFailure,
): Promise<AttemptError> {
  const type = f.type ?? 'action.error';
  const error: AttemptError = { type, message: f.message, retryable: !f.nonRetryable };
  if (!type.startsWith('send.')) return error;
  const sent = await getMessageByIdempotencyKey(db, input.run.workspaceId, input.idempotencyKey);
  const noted = sent?.error;
  if (!sent || !noted || `send.${String(noted.code)}` !== type) return error;
  const status = typeof noted.status === 'number' ? noted.status : null;
  const providerCode = noted.providerCode != null ? String(noted.providerCode) : null;
  return { ...error, provider: sent.provider, status, providerCode };
}

/**
 * Records a failed attempt with its error, and whether Temporal tries again. Best effort: the
 * failure itself must reach Temporal even when the database does not answer.
 */
export async function recordFailedAttempt(
  db: Executor,
  input: ActionInput,
  failure: ApplicationFailure,
  a: { attempt: number; at: number },
  warn: (msg: string, meta: Record<string, unknown>) => void,
): Promise<void> {
  const { run, step } = input;
  try {
    const error = await describeFailure(db, input, failure);
    await applyRecording(db, {
      run,
      before: input.before,
      close: input.close,
      step: { ...step, attempt: a.attempt },
      attempt: {
        scheduledAt: step.at,
        attempt: a.attempt,
        at: a.at,
        outcome: 'failed',
        willRetry: error.retryable && a.attempt < input.maxAttempts,
        error,
      },
      update: { status: 'running', currentStep: step.stepId },
    });
  } catch (e) {
    warn('could not record a failed action attempt', { stepId: step.stepId, error: message(e) });
  }
}

/**
 * The recording of a quiet-hours deferral: the step's outcome is `deferred` with the local window
 * and the customer's zone, and the run waits for the end of quiet hours.
 */
export async function deferralRecording(
  db: Executor,
  input: ActionInput,
  deferred: SendDeferred,
  a: { attempt: number; at: number; timeZone: string | null },
): Promise<Recording> {
  const { run, step } = input;
  const workspace = await getWorkspace(db, run.workspaceId);
  const window = WorkspaceSettings.parse(workspace?.settings ?? {}).quietHours;
  const timeZone = safeZone(a.timeZone);
  const until = new Date(deferred.until).toISOString();
  const reason = { kind: deferred.reason, window, timeZone };
  return {
    run,
    before: input.before,
    close: input.close,
    step: {
      ...step,
      outcome: 'deferred',
      attempt: a.attempt,
      reasons: [
        { reason: deferred.reason, until, window, timeZone, text: `Deferred by quiet hours until ${until}` },
      ],
    },
    attempt: {
      scheduledAt: step.at,
      attempt: a.attempt,
      at: a.at,
      outcome: 'deferred',
      deferredUntil: deferred.until,
      reason,
    },
    update: {
      status: 'waiting',
      currentStep: step.stepId,
      waitingFor: { kind: 'sleep', until, reason: deferred.reason },
    },
  };
}
