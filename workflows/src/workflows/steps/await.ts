import type { AwaitStep } from '@hourglass/journey';
import { iso, local, type RunContext } from '../run-context';
import { eventMatches } from '../run-state';

/** `await`: an event (earlier ones of this run count when the step says so) or a timeout. */
export async function awaitStep(ctx: RunContext, step: AwaitStep, seq: number): Promise<string> {
  const { s, run } = ctx;
  const e = ctx.enter(step, seq);
  const ahead = ctx.takeAhead(step, seq);
  const from = step.sinceRunStart ? 0 : (ahead?.eventCount ?? s.eventCount);
  const pattern = { ...step.event };
  const found = () => {
    const hit = s.events.find((b) => b.idx >= from && eventMatches(pattern, b.event, ctx.matchCtx));
    if (hit) s.lastEvent = hit.event;
    return hit !== undefined;
  };
  const update = ctx.waiting(step.id, {
    kind: 'await',
    until: iso(e.at + step.timeoutMs),
    eventType: step.event.type,
  });
  if (!ahead) await local.recordStep({ run, ...ctx.carry(), step: e, update });
  ctx.showStep(step.id);
  s.pendingClose = { ...e, outcome: 'interrupted' };
  const happened = await ctx.waitFor(found, step.timeoutMs);
  const port = happened ? 'happened' : 'timed_out';
  s.pendingClose = { ...e, at: Date.now(), outcome: port, port };
  return happened ? step.next.happened : step.next.timedOut;
}
