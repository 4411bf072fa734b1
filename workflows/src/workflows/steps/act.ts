import type { ActStep } from '@hourglass/journey';
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index';
import { canRecordAhead } from '../../ahead';
import { local, MINUTE, type RunContext } from '../run-context';
import { jitterFor, RunEnd } from '../run-state';

/** `act`: one action through the registry, with the step's retry policy; quiet hours defer it. */
export async function actStep(ctx: RunContext, step: ActStep, seq: number): Promise<string> {
  const { s, run, config, info, input } = ctx;
  const e = ctx.enter(step, seq);
  const r = step.retry;
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: config.actTimeoutMs,
    retry: {
      maximumAttempts: r.maxAttempts,
      initialInterval: Math.max(100, r.initialIntervalMs),
      backoffCoefficient: r.backoff,
      maximumInterval: Math.max(100, r.maxIntervalMs, r.initialIntervalMs),
    },
  });
  // Visit count keeps loop iterations distinct; the first visit keeps the documented plain key.
  const idempotencyKey = `${info.workflowId}:${step.id}${seq > 0 ? `:${seq + 1}` : ''}`;
  let carried = ctx.carry();
  // A folding run lets this action's activity record the entry of the step after it (../../ahead.ts).
  const after = s.loaded.plan.steps[step.next];
  const afterSeq = after ? (s.visits[after.id] ?? 0) : 0;
  const next =
    ctx.fold && canRecordAhead(after) && afterSeq < s.loaded.plan.maxStepVisits
      ? { step: after, seq: afterSeq }
      : undefined;
  for (;;) {
    try {
      // Each attempt carries the current workflow time (sends check quiet hours against it); the
      // step keeps its first entry time in the database.
      const out = await acts.runAction({
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
      });
      carried = { close: undefined };
      if (out.kind === 'done') {
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
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause instanceof ApplicationFailure ? err.cause : null;
      const error = { message: cause?.message ?? err.message, type: cause?.type ?? 'activity.failed' };
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
