import type { Step } from '@hourglass/journey';
import type { RunUpdate } from '../../activities/index';
import { local, type RunContext } from '../run-context';
import type { RunEnd, RunResult } from '../run-state';

/** `end` (or any RunEnd thrown on the way): records the last step and the run's final state. */
export async function finish(
  ctx: RunContext,
  end: RunEnd,
  endStep?: { step: Step; seq: number },
): Promise<RunResult> {
  const { s, run } = ctx;
  const at = Date.now();
  // Recorded ahead by the activity just before it: nothing left to write.
  if (!(endStep && ctx.takeAhead(endStep.step, endStep.seq))) {
    const stepRec = endStep && {
      ...ctx.enter(endStep.step, endStep.seq),
      finishedAt: at,
      outcome: end.reason,
    };
    const update: RunUpdate = {
      status: end.status,
      currentStep: endStep?.step.id ?? s.stepId,
      waitingFor: null,
      endReason: end.reason,
    };
    await local.recordStep({ run, ...ctx.carry(), step: stepRec, update });
    if (!ctx.fold) ctx.showStep(`end:${end.reason}`);
  }
  return {
    status: end.status,
    reason: end.reason,
    label: end.label,
    converted: s.converted,
    steps: ctx.stepsRun,
  };
}
