import type { ActStep } from '@hourglass/journey';
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { ActionInput, ActionOutcome, Activities } from '../../activities/index';
import { local, MINUTE, type RunContext } from '../run-context';
import { jitterFor, RunEnd } from '../run-state';

/** `act`: one action through the registry, with the step's retry policy; quiet hours defer it. */
export async function actStep(ctx: RunContext, step: ActStep, seq: number): Promise<string> {
  const { s, run, config, info, input } = ctx;
  const e = ctx.enter(step, seq);
  const r = step.retry;
  const retry: ActRetry = {
    maximumAttempts: r.maxAttempts,
    initialInterval: Math.max(100, r.initialIntervalMs),
    backoffCoefficient: r.backoff,
    maximumInterval: Math.max(100, r.maxIntervalMs, r.initialIntervalMs),
  };
  const runAction = ctx.localSteps
    ? (a: ActionInput) => attemptLocally(a, retry, config.actTimeoutMs)
    : proxyActivities<Activities>({ startToCloseTimeout: config.actTimeoutMs, retry }).runAction;
  // Visit count keeps loop iterations distinct; the first visit keeps the documented plain key.
  const idempotencyKey = `${info.workflowId}:${step.id}${seq > 0 ? `:${seq + 1}` : ''}`;
  let carried = ctx.carry();
  // A folding run lets this action's activity record the entry of the step after it (../../ahead.ts).
  const next = ctx.recordableAhead(step.next);
  for (;;) {
    try {
      // Each attempt carries the current workflow time (sends check quiet hours against it); the
      // step keeps its first entry time in the database.
      const out = await runAction({
        run,
        ...carried,
        ...(next ? { next } : {}),
        step: { ...e, at: Date.now() },
        action: step.action,
        input: step.input,
        transactional: step.transactional ?? false,
        idempotencyKey,
        maxAttempts: r.maxAttempts,
        trigger: input.trigger,
        event: s.lastEvent,
        ...(ctx.outputs ? { steps: ctx.outputs } : {}),
      });
      carried = { close: undefined };
      if (out.kind === 'done') {
        // Revision 3 keeps the output for later steps (a loop's later visit replaces it).
        if (ctx.outputs && step.outputName && out.output) ctx.outputs[step.outputName] = out.output;
        if (next) ctx.markAhead(next.step, next.seq);
        return step.next;
      }
      // Quiet hours: sleep until allowed (spread by jitter), then run the same step again.
      ctx.showStep(step.id);
      s.pendingClose = { ...e, outcome: 'interrupted' };
      const until =
        out.until + jitterFor(`${info.workflowId}:${step.id}:defer`, Math.min(config.jitterMs, 10 * MINUTE));
      // Never spin: a deferral always waits at least a minute.
      await ctx.waitFor(() => false, Math.max(MINUTE, until - Date.now()));
      s.pendingClose = null;
    } catch (err) {
      const error = actionError(err);
      if (!error) throw err;
      await local.recordStep({
        run,
        ...carried,
        step: { ...e, finishedAt: Date.now(), outcome: 'failed', error },
        update: { status: 'running', currentStep: step.id },
      });
      if (step.onFailure === 'exit') throw new RunEnd('exited', 'action_failed', error.message);
      return step.next;
    }
  }
}

/**
 * The error an action failed with, once its attempts are spent: a regular activity's failure wraps
 * it, a local activity's is the error itself. Null for anything else (cancellation, a run end).
 */
function actionError(err: unknown): { message: string; type: string } | null {
  if (err instanceof ActivityFailure) {
    const cause = err.cause instanceof ApplicationFailure ? err.cause : null;
    return { message: cause?.message ?? err.message, type: cause?.type ?? 'activity.failed' };
  }
  if (err instanceof ApplicationFailure) return { message: err.message, type: err.type ?? 'activity.failed' };
  if (err instanceof TimeoutFailure) return { message: err.message, type: 'activity.failed' };
  return null;
}

/** A step's retry policy in Temporal's terms, intervals in ms. */
interface ActRetry {
  maximumAttempts: number;
  initialInterval: number;
  backoffCoefficient: number;
  maximumInterval: number;
}

/**
 * Revision 2: each attempt is one local activity, run in the workflow task that reached the step (no
 * task round trip), carrying its number and the workflow's time. The step's retry policy is applied
 * here, as Temporal would for a regular activity (a provider's Retry-After first), with a workflow
 * timer between attempts: a retry survives a worker restart, and test servers skip the wait.
 */
async function attemptLocally(
  input: ActionInput,
  retry: ActRetry,
  timeoutMs: number,
): Promise<ActionOutcome> {
  const act = proxyLocalActivities<Activities>({
    startToCloseTimeout: timeoutMs,
    retry: { maximumAttempts: 1 },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await act.runAction({
        ...input,
        step: { ...input.step, at: Date.now() },
        attemptNumber: attempt,
      });
    } catch (err) {
      // A local activity's failure may come bare or wrapped (as a regular activity's always is).
      const cause = err instanceof ActivityFailure ? err.cause : err;
      const retryable =
        cause instanceof TimeoutFailure || (cause instanceof ApplicationFailure && !cause.nonRetryable);
      if (!retryable || attempt >= retry.maximumAttempts) throw err;
      const asked = cause instanceof ApplicationFailure ? cause.nextRetryDelay : undefined;
      const backoff = retry.initialInterval * retry.backoffCoefficient ** (attempt - 1);
      await sleep(asked ?? Math.min(backoff, retry.maximumInterval));
    }
  }
}
