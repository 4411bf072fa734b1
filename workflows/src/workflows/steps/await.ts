import type { AwaitStep } from '@hourglass/journey';
import { iso, local, type RunContext } from '../run-context';
import { eventMatches } from '../run-state';

/**
 * `await`: an event (earlier ones of this run count when the step says so) or a timeout. With `orEvents`,
 * any of several event types ends it, each through its own port; when more than one has arrived, the
 * first listed wins (the step's own type, then `orEvents` in order), as cases do in a branch.
 */
export async function awaitStep(ctx: RunContext, step: AwaitStep, seq: number): Promise<string> {
  const { s, run } = ctx;
  const e = ctx.enter(step, seq);
  const ahead = ctx.takeAhead(step, seq);
  const from = step.sinceRunStart ? 0 : (ahead?.eventCount ?? s.eventCount);
  // Without `orEvents` this is the one pattern the step always had, so replays are unchanged.
  const ways = [
    { port: 'happened', next: step.next.happened, pattern: { ...step.event } },
    ...(step.orEvents ?? []).map((o) => ({
      port: o.type,
      next: o.next,
      pattern: { ...step.event, type: o.type },
    })),
  ];
  let taken: (typeof ways)[number] | undefined;
  const found = () => {
    for (const way of ways) {
      const hit = s.events.find((b) => b.idx >= from && eventMatches(way.pattern, b.event, ctx.matchCtx));
      if (!hit) continue;
      s.lastEvent = hit.event;
      taken = way;
      return true;
    }
    return false;
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
  const port = happened && taken ? taken.port : 'timed_out';
  s.pendingClose = { ...e, at: Date.now(), outcome: happened ? 'happened' : 'timed_out', port };
  return happened && taken ? taken.next : step.next.timedOut;
}
