import { explainAct } from './explain-act';
import {
  type ExplainContext,
  type Explained,
  formatDuration,
  localTime,
  type MessageFacts,
  type RunFacts,
  reasonText,
  type StepFacts,
} from './explain-format';

const END_TEXT: Record<string, string> = {
  completed: 'Journey completed',
  exit_node: 'Reached the exit',
  unconnected_output: 'Journey ended (no next step connected)',
  goal_reached: 'Goal reached — left the journey',
  exit_condition: 'Left the journey: exit condition met',
  action_failed: 'Left the journey: a step failed',
  iteration_limit: 'Left the journey: loop limit reached',
  cancelled: 'Run cancelled',
  unsubscribed: 'Run stopped: customer unsubscribed',
  archived: 'Run stopped: journey archived',
};

/**
 * "Ended: goal reached" and friends. A run that reached an exit node says that exit's label
 * ("Ended: Reviewed"), which tells apart the exits of one journey.
 */
export const endText = (reason: string | null, exitLabel?: string | null) =>
  reason === 'exit_node' && exitLabel
    ? `Ended: ${exitLabel}`
    : ((reason && END_TEXT[reason]) ?? (reason ? `Ended: ${reason.replaceAll('_', ' ')}` : 'Ended'));

const label = (ctx: ExplainContext, port: string | null) =>
  (port && ctx.plan?.portLabels?.[port]) || port || '?';

function explainSleep(step: StepFacts, ctx: ExplainContext): Explained {
  const { timeZone, run } = ctx;
  const wake = ctx.plan?.wake;
  if (step.finishedAt && step.outcome === 'woke') {
    const took = formatDuration(step.finishedAt.getTime() - step.enteredAt.getTime());
    return {
      tone: 'ok',
      title: `Waited ${took} — until ${localTime(step.finishedAt, timeZone)}`,
      details:
        wake?.kind === 'time_of_day'
          ? [`Rule: next ${pad(wake.hour)}:${pad(wake.minute)} in the customer's time zone`]
          : [],
    };
  }
  if (step.finishedAt && step.outcome === 'interrupted') {
    const took = formatDuration(step.finishedAt.getTime() - step.enteredAt.getTime());
    return { tone: 'info', title: `Wait interrupted after ${took}`, details: [] };
  }
  if (run.currentStep === step.stepId && run.waitingFor?.until) {
    const until = new Date(run.waitingFor.until);
    return {
      tone: 'waiting',
      title: `Waiting until ${localTime(until, timeZone)}`,
      details: [],
    };
  }
  return { tone: 'info', title: 'Waiting', details: [] };
}

const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');

function explainAwait(step: StepFacts, ctx: ExplainContext): Explained {
  const { timeZone, run } = ctx;
  const first = ctx.plan?.event?.type ?? run.waitingFor?.eventType ?? 'an event';
  // A wait for several events names them all, and says which one came (its port is the event type).
  const others = ctx.plan?.orEvents ?? [];
  const type = others.length ? `${[first, ...others.slice(0, -1)].join(', ')} or ${others.at(-1)}` : first;
  if (step.finishedAt && (step.outcome === 'happened' || step.port === 'happened')) {
    const took = formatDuration(step.finishedAt.getTime() - step.enteredAt.getTime());
    const came = step.port && others.includes(step.port) ? step.port : first;
    return {
      tone: 'ok',
      title: others.length
        ? `Waited for ${type} — ${came} came after ${took}`
        : `Waited for ${type} — it happened after ${took}`,
      details: [],
    };
  }
  if (step.finishedAt && (step.outcome === 'timed_out' || step.port === 'timed_out')) {
    const took = formatDuration(step.finishedAt.getTime() - step.enteredAt.getTime());
    return { tone: 'info', title: `Waited for ${type} — none within ${took} (timed out)`, details: [] };
  }
  if (step.finishedAt && step.outcome === 'interrupted') {
    return { tone: 'info', title: `Stopped waiting for ${type}: the run ended`, details: [] };
  }
  const until =
    run.currentStep === step.stepId && run.waitingFor?.until ? new Date(run.waitingFor.until) : null;
  return {
    tone: 'waiting',
    title: `Waiting for ${type}${until ? ` until ${localTime(until, timeZone)}` : ''}`,
    details: [],
  };
}

function explainDecide(step: StepFacts, ctx: ExplainContext): Explained {
  const port = step.port;
  const reasons = step.reasons ?? [];
  if (ctx.plan?.weights || reasons.some((r) => Array.isArray(r.weights))) {
    const pct = ctx.plan?.weights?.find((w) => w.port === port)?.percent;
    return {
      tone: 'ok',
      title: `Random split → ${label(ctx, port)}${pct !== undefined ? ` (${pct}%)` : ''}`,
      details: [],
    };
  }
  const winning = reasons.filter((r) => r.case === port);
  const because = winning.filter((r) => r.passed === true).map(reasonText);
  const others = reasons
    .filter((r) => r.case !== port)
    .map((r) => `Not ${label(ctx, String(r.case ?? ''))}: ${reasonText(r)}`);
  if (winning.length) {
    return {
      tone: 'ok',
      title: `Branch → ${label(ctx, port)}: ${because.join(' and ') || 'conditions met'}`,
      details: others,
    };
  }
  const otherwise = port && ctx.plan?.defaultPort === port ? ' (no case matched)' : '';
  return {
    tone: 'ok',
    title: `Branch → ${label(ctx, port)}${otherwise || (reasons.length ? ' (no case matched)' : '')}`,
    details: others,
  };
}

/** Explains one recorded step, with its messages (for sends). */
export function explainStep(step: StepFacts, messages: MessageFacts[], ctx: ExplainContext): Explained {
  switch (step.primitive) {
    case 'sleep':
      return explainSleep(step, ctx);
    case 'await':
      return explainAwait(step, ctx);
    case 'decide':
      return explainDecide(step, ctx);
    case 'act':
      return explainAct(step, messages, ctx);
    case 'end':
      return { tone: 'ok', title: endText(step.outcome, ctx.plan?.exitLabel), details: [] };
    default:
      return { tone: 'info', title: `${step.primitive}: ${step.outcome ?? 'in progress'}`, details: [] };
  }
}

/** What the run waits for now, in words; null when it is not waiting. */
export function explainWaiting(
  run: RunFacts,
  timeZone: string,
  where: { label: string | null; primitive: string | null },
): { text: string; until: Date | null } | null {
  if (run.status !== 'waiting' && run.status !== 'running') return null;
  const w = run.waitingFor;
  const at = where.label ? ` at "${where.label}"` : '';
  if (!w)
    return run.status === 'running'
      ? { text: `Running${at}`, until: null }
      : { text: `Paused${at}`, until: null };
  const until = w.until ? new Date(w.until) : null;
  // The same words as the timeline's entry for this wait: date, time and zone.
  const when = until ? ` until ${localTime(until, timeZone)}` : '';
  if (w.kind === 'await') return { text: `Waiting for ${w.eventType ?? 'an event'}${at}${when}`, until };
  // Recorded by the send activity; older runs are inferred from sleeping on an action.
  if (w.reason === 'quiet_hours' || (!w.reason && where.primitive === 'act'))
    return { text: `Message deferred by quiet hours${at}${when}`, until };
  return { text: `Waiting${at}${when}`, until };
}

/** One line for a run in a list: where it is, or how it ended (with the exit's label, if it has one). */
export function runStateText(
  run: RunFacts & { endReason: string | null },
  timeZone: string,
  stepLabel: string | null,
  exitLabel: string | null = null,
): string {
  const waiting = explainWaiting(run, timeZone, { label: stepLabel, primitive: null });
  if (waiting) return waiting.text;
  return endText(run.endReason ?? run.status, exitLabel);
}
