import type { DecideRandomStep, DecideRulesStep } from '@hourglass/journey';
import { pickWeighted } from '@hourglass/journey';
import { ApplicationFailure } from '@temporalio/workflow';
import { data, dataLocal, local, type RunContext } from '../run-context';

/** `decide`: a random split (pure, in the workflow) or rules against fresh data (an activity). */
export async function decideStep(
  ctx: RunContext,
  step: DecideRulesStep | DecideRandomStep,
  seq: number,
): Promise<string> {
  const { run, info, input } = ctx;
  const e = ctx.enter(step, seq);
  let port: string;
  if (step.mode === 'random') {
    // Pure and deterministic per run: replays and retries pick the same port without an activity.
    port = pickWeighted(step.weights, `${info.workflowId}:${step.id}`) ?? step.weights[0]?.port ?? '';
    const reasons = [
      {
        text: `Random split: ${port}`,
        weights: step.weights.map((w) => ({ port: w.port, percent: w.percent })),
      },
    ];
    const rec = { ...e, finishedAt: e.at, outcome: 'decided', port, reasons };
    // Pure: a folding run writes it with the next step instead of spending a history event on it.
    if (ctx.fold) ctx.defer(rec);
    else
      await local.recordStep({
        run,
        ...ctx.carry(),
        step: rec,
        update: { status: 'running', currentStep: step.id },
      });
  } else {
    const { cases, defaultPort } = step;
    ({ port } = await (ctx.localSteps ? dataLocal : data).decide({
      run,
      ...ctx.carry(),
      step: e,
      cases,
      defaultPort,
      trigger: input.trigger,
    }));
  }
  const next = step.next[port];
  if (next === undefined) throw ApplicationFailure.nonRetryable(`Step ${step.id} has no output "${port}"`);
  return next;
}
