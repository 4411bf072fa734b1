import { ApplicationFailure, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { JourneyRunInput } from '../contract';
import { local, openRun, type RunContext } from './run-context';
import { RunEnd, type RunResult } from './run-state';
import { actStep } from './steps/act';
import { awaitStep } from './steps/await';
import { decideStep } from './steps/decide';
import { finish } from './steps/end';
import { sleepStep } from './steps/sleep';

// The journey interpreter: ONE workflow type for every journey. It knows the five plan primitives and
// nothing about node types (one module each in ./steps). Any change to what it does for an existing
// history must go behind `patched('<id>')` (see ../../histories/README.md); the golden-history replay
// test enforces it.

/** Between steps: signals handled, a paused journey held, history kept short by continue-as-new. */
async function beforeStep(ctx: RunContext): Promise<void> {
  const { s, control, input } = ctx;
  await ctx.drain();
  if (control.paused) {
    // The next step records itself once resumed: its entry recorded ahead would be stale by then.
    if (ctx.ahead) {
      ctx.ahead = null;
      s.pendingClose = null;
    }
    // Paused journey: hold before the next step (timers already running keep running).
    await local.recordStep({ run: ctx.run, update: ctx.waiting(s.stepId, null) });
    ctx.showStep(`paused:${s.stepId}`);
    await ctx.waitFor(() => !control.paused, null);
  }
  const i = workflowInfo();
  if (i.continueAsNewSuggested || i.historyLength > s.loaded.config.maxHistoryEvents) {
    await continueAsNew<typeof journeyRun>({
      ...input,
      carried: { ...s, paused: control.paused, cancel: control.cancel },
    });
  }
}

/** Interprets a journey plan for one customer (or order): sleep, await, decide, act, end. */
export async function journeyRun(input: JourneyRunInput): Promise<RunResult> {
  const ctx = await openRun(input);
  const { s } = ctx;
  const { plan } = s.loaded;
  try {
    for (;;) {
      // Once the end is recorded (by the activity just before it) the run has ended: straight to it.
      if (!ctx.ahead?.end) await beforeStep(ctx);
      const step = plan.steps[s.stepId];
      if (!step) throw ApplicationFailure.nonRetryable(`Plan has no step "${s.stepId}"`);
      const visit = (s.visits[step.id] ?? 0) + 1;
      if (visit > plan.maxStepVisits) throw new RunEnd('exited', 'iteration_limit');
      s.visits[step.id] = visit;
      ctx.stepsRun++;
      const seq = visit - 1;
      switch (step.type) {
        case 'sleep':
          s.stepId = await sleepStep(ctx, step, seq);
          break;
        case 'await':
          s.stepId = await awaitStep(ctx, step, seq);
          break;
        case 'decide':
          s.stepId = await decideStep(ctx, step, seq);
          break;
        case 'act':
          s.stepId = await actStep(ctx, step, seq);
          break;
        case 'end':
          return await finish(ctx, new RunEnd('completed', step.reason, step.label ?? null), { step, seq });
      }
    }
  } catch (err) {
    if (err instanceof RunEnd) return finish(ctx, err);
    throw err;
  }
}
