import { ApplicationFailure, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { JourneyRunInput } from '../contract';
import { local, openRun } from './run-context';
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

/** Interprets a journey plan for one customer (or order): sleep, await, decide, act, end. */
export async function journeyRun(input: JourneyRunInput): Promise<RunResult> {
  const ctx = await openRun(input);
  const { s, control } = ctx;
  const { plan, config } = s.loaded;
  try {
    for (;;) {
      await ctx.drain();
      if (control.paused) {
        // Paused journey: hold before the next step (timers already running keep running).
        await local.recordStep({ run: ctx.run, update: ctx.waiting(s.stepId, null) });
        ctx.showStep(`paused:${s.stepId}`);
        await ctx.waitFor(() => !control.paused, null);
      }
      const i = workflowInfo();
      if (i.continueAsNewSuggested || i.historyLength > config.maxHistoryEvents) {
        await continueAsNew<typeof journeyRun>({
          ...input,
          carried: { ...s, paused: control.paused, cancel: control.cancel },
        });
      }
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
