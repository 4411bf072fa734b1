import type { SleepStep } from '@hourglass/journey';
import { iso, local, type RunContext } from '../run-context';
import { jitterFor } from '../run-state';

/** `sleep`: a duration timer, or a wake time computed from customer data by a local activity. */
export async function sleepStep(ctx: RunContext, step: SleepStep, seq: number): Promise<string> {
  const { s, run, config, info, input } = ctx;
  const e = ctx.enter(step, seq);
  let until: number;
  if (step.wake.kind === 'duration') {
    until = e.at + step.wake.ms;
    if (!ctx.takeAhead(step, seq))
      await local.recordStep({
        run,
        ...ctx.carry(),
        step: e,
        update: ctx.waiting(step.id, { kind: 'sleep', until: iso(until) }),
      });
  } else {
    const jitterMs = jitterFor(`${info.workflowId}:${step.id}:${seq}`, config.jitterMs);
    until = await local.computeWake({
      run,
      ...ctx.carry(),
      step: e,
      wake: step.wake,
      jitterMs,
      trigger: input.trigger,
      ...(ctx.outputs ? { steps: ctx.outputs } : {}),
    });
  }
  ctx.showStep(step.id);
  s.pendingClose = { ...e, outcome: 'interrupted' };
  await ctx.waitFor(() => false, Math.max(0, until - Date.now()));
  s.pendingClose = { ...e, at: Date.now(), outcome: 'woke' };
  return step.next;
}
