import type { DecideRandomStep, DecideRulesStep } from '@hourglass/journey';
import { pickWeighted } from '@hourglass/journey';
import { ApplicationFailure } from '@temporalio/workflow';
import type { DecideInput } from '../../activities/index';
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
    // Revision 2: the decision records the entry of the step behind the port it picks, where it can
    // (an end, a fixed sleep, an await), instead of that step spending a marker of its own.
    const byPort = ctx.localSteps ? recordableByPort(ctx, step) : undefined;
    ({ port } = await (ctx.localSteps ? dataLocal : data).decide({
      run,
      ...ctx.carry(),
      step: e,
      cases,
      defaultPort,
      trigger: input.trigger,
      ...(ctx.outputs ? { steps: ctx.outputs } : {}),
      ...(byPort ? { next: byPort } : {}),
    }));
    const ahead = byPort && Object.hasOwn(byPort, port) ? byPort[port] : undefined;
    if (ahead) ctx.markAhead(ahead.step, ahead.seq);
  }
  const next = step.next[port];
  if (next === undefined) throw ApplicationFailure.nonRetryable(`Step ${step.id} has no output "${port}"`);
  return next;
}

/** The steps behind each port that the decision may record ahead, by port; undefined when none. */
function recordableByPort(ctx: RunContext, step: DecideRulesStep): DecideInput['next'] {
  const entries = Object.entries(step.next).flatMap(([port, stepId]) => {
    const ahead = ctx.recordableAhead(stepId);
    return ahead ? [[port, ahead] as const] : [];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}
