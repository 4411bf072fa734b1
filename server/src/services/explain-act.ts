import {
  type AttemptFacts,
  attemptErrorText,
  attemptLines,
  deferralText,
  deferralZone,
} from './explain-attempts';
import {
  clockIn,
  deliveryTrail,
  type ExplainContext,
  type Explained,
  failureText,
  formatDuration,
  localTime,
  type MessageFacts,
  type StepFacts,
  skipText,
} from './explain-format';

const CH = (c: string) => (c === 'sms' ? 'SMS' : c === 'email' ? 'Email' : c);
const isRetry = (m: MessageFacts) => m.idempotencyKey.includes(':retry:');
const FINAL = ['ok', 'skipped', 'failed'];

/** The step's original message (not a manual retry). */
const originalOf = (messages: MessageFacts[]) => messages.find((m) => !isRetry(m)) ?? null;

function sentTitle(channel: string, m: MessageFacts): string {
  const trail = deliveryTrail(m);
  return `${CH(channel)} sent${trail.length ? ` — ${trail.join(', ')}` : ''}`;
}

function messageOutcome(m: MessageFacts): { tone: Explained['tone']; text: string } {
  if (m.status === 'skipped')
    return { tone: 'skipped', text: `skipped: ${skipText(m.skipReason ?? 'skipped', m.channel)}` };
  if (['failed', 'bounced', 'undelivered'].includes(m.status) && !m.sentAt)
    return { tone: 'failed', text: `failed: ${failureText(m.channel, m.provider, m.error)}` };
  if (m.sentAt) {
    const trail = deliveryTrail(m);
    const bad = trail.some((t) => ['bounced', 'undelivered', 'failed', 'complained'].includes(t));
    return { tone: bad ? 'failed' : 'ok', text: `sent${trail.length ? ` — ${trail.join(', ')}` : ''}` };
  }
  return { tone: 'info', text: m.status };
}

/** Details shared by every act outcome: provider retries (when no attempts were recorded) and manual retries. */
function retryDetails(messages: MessageFacts[], recorded: boolean): string[] {
  const out: string[] = [];
  const original = originalOf(messages);
  // Older runs: a retryable provider error is only noted on the message.
  if (!recorded && original?.error && original.sentAt) {
    out.push(
      `Retried after a provider error: ${failureText(original.channel, original.provider, original.error)}`,
    );
  }
  messages.filter(isRetry).forEach((m, i) => {
    out.push(`Manual retry ${i + 1}: ${messageOutcome(m).text}`);
  });
  return out;
}

/** Explains an `act` step, with each recorded attempt in words. */
export function explainAct(step: StepFacts, messages: MessageFacts[], ctx: ExplainContext): Explained {
  const attempts = step.attempts ?? [];
  const out = explainOutcome(step, messages, ctx, attempts);
  if (!attempts.length) return out;
  const done = ctx.plan?.action?.match(/^(sms|email)\./) ? 'sent' : 'done';
  return { ...out, attempts: attemptLines(attempts, ctx.timeZone, done) };
}

/** A send deferred by quiet hours, from the recorded deferral. */
function explainDeferred(
  step: StepFacts,
  ch: string,
  d: AttemptFacts,
  ctx: ExplainContext,
  details: string[],
) {
  const zone = deferralZone(d, ctx.timeZone);
  const title = `${CH(ch)} deferred by ${deferralText(d, ctx.timeZone)}`;
  const { run } = ctx;
  if (step.outcome === 'interrupted' || run.currentStep !== step.stepId || run.status !== 'waiting')
    return { tone: 'info' as const, title: `${title} — the run ended before it went out`, details };
  const w = d.reason?.window as { start?: string; end?: string } | undefined;
  const window = w?.start && w.end ? ` (${w.start}–${w.end} in ${zone})` : '';
  return {
    tone: 'waiting' as const,
    title,
    details: [
      `Due at ${clockIn(d.at, zone)} ${zone}, inside the quiet hours${window}; it goes out automatically when they end.`,
      ...details,
    ],
  };
}

function explainOutcome(
  step: StepFacts,
  messages: MessageFacts[],
  ctx: ExplainContext,
  attempts: AttemptFacts[],
): Explained {
  const { timeZone, run } = ctx;
  const original = originalOf(messages);
  const channel =
    original?.channel ??
    (ctx.plan?.action?.startsWith('sms.') ? 'sms' : ctx.plan?.action?.startsWith('email.') ? 'email' : null);
  const details = retryDetails(messages, attempts.length > 0);
  const latestRetry = messages.filter(isRetry).at(-1);
  const name = ctx.plan?.action ?? 'action';
  const last = attempts.at(-1);
  const lastFailure = attempts.filter((a) => a.outcome === 'failed').at(-1);
  const deferral = attempts.filter((a) => a.outcome === 'deferred').at(-1);
  const final = FINAL.includes(step.outcome ?? '');

  if (!channel) {
    if (step.outcome === 'failed') {
      const why = lastFailure
        ? attemptErrorText(lastFailure.error)
        : String(step.error?.message ?? 'action failed');
      return { tone: 'failed', title: `Failed: ${why}`, details };
    }
    if (step.outcome === 'skipped') {
      const why = String(step.reasons?.[0]?.reason ?? 'nothing to do');
      return { tone: 'skipped', title: `Skipped ${name}: ${why.replaceAll('_', ' ')}`, details };
    }
    if (step.outcome === 'ok') return { tone: 'ok', title: `Done: ${name}`, details };
    if (last?.outcome === 'failed' && last.willRetry)
      return { tone: 'waiting', title: `Retrying ${name}: ${attemptErrorText(last.error)}`, details };
    return { tone: 'info', title: `Running ${name}…`, details };
  }

  // Deferred and not run again yet: the recorded outcome says until when and why.
  if (!final && last?.outcome === 'deferred') return explainDeferred(step, channel, last, ctx, details);
  // Older runs recorded no deferral: inferred from the run sleeping on the step.
  if (
    !step.outcome &&
    !attempts.length &&
    run.currentStep === step.stepId &&
    run.waitingFor?.kind === 'sleep' &&
    run.status === 'waiting'
  ) {
    const until = run.waitingFor.until ? new Date(run.waitingFor.until) : null;
    const when = until ? `until ${localTime(until, timeZone)}` : '';
    return {
      tone: 'waiting',
      title: `${CH(channel)} deferred by quiet hours ${when}`.trim(),
      details: [
        `Due at ${clockIn(step.enteredAt, timeZone)} local, inside the quiet hours; it goes out automatically when they end.`,
        ...details,
      ],
    };
  }

  if (step.outcome === 'ok' && original) {
    const out: Explained = { tone: 'ok', title: sentTitle(channel, original), details };
    const trail = deliveryTrail(original);
    if (trail.some((t) => ['bounced', 'undelivered', 'complained'].includes(t))) out.tone = 'failed';
    if (deferral) {
      // The sending attempt's time is on the engine's clock, like the deferral's (the message's own
      // times are the database's: the same moment in production, not under a time-skipping test).
      const sentAt = attempts.find((a) => a.outcome === 'ok')?.at ?? original.sentAt;
      const sent = sentAt ? `, then sent at ${clockIn(sentAt, deferralZone(deferral, timeZone))}` : '';
      out.details.unshift(
        `Deferred at ${clockIn(deferral.at, deferralZone(deferral, timeZone))} by ${deferralText(deferral, timeZone)}${sent}`,
      );
    } else if (!attempts.length) {
      const gap = original.sentAt ? original.sentAt.getTime() - step.enteredAt.getTime() : 0;
      const quietEnd = ctx.quietUntil?.(step.enteredAt);
      if (original.sentAt && quietEnd && gap > 60_000) {
        out.details.unshift(
          `Deferred by quiet hours from ${clockIn(step.enteredAt, timeZone)} until ${clockIn(original.sentAt, timeZone)} local (waited ${formatDuration(gap)})`,
        );
      }
    }
    out.details.unshift(
      `To ${original.toAddress}${original.sentAt ? ` at ${localTime(original.sentAt, timeZone)}` : ''}`,
    );
    return out;
  }

  if (step.outcome === 'skipped' || original?.status === 'skipped') {
    const reason = original?.skipReason ?? String(step.reasons?.[0]?.reason ?? 'skipped');
    const capDetail = original?.statusHistory.find((h) => h.status === 'skipped' && h.detail)?.detail;
    const title = `Skipped: ${skipText(reason, channel)}`;
    const extra: string[] = [];
    if (reason === 'capped')
      extra.push(
        `The customer already got a marketing ${CH(channel)} recently${capDetail ? ` (${capDetail})` : ''}.`,
      );
    if (reason === 'unsubscribed' || reason === 'no_consent')
      extra.push(
        `${CH(channel)} consent on the profile is "${reason === 'unsubscribed' ? 'unsubscribed' : 'not subscribed'}".`,
      );
    if (latestRetry)
      return { tone: messageOutcome(latestRetry).tone, title, details: [...extra, ...details] };
    return { tone: 'skipped', title, details: [...extra, ...details] };
  }

  if (
    step.outcome === 'failed' ||
    (original && ['failed', 'bounced', 'undelivered'].includes(original.status))
  ) {
    // The ledger's error has the provider's code and message; a failure before it, the attempt's.
    const error = original?.error ?? lastFailure?.error ?? step.error;
    const provider = original?.provider ?? String(lastFailure?.error?.provider ?? '');
    const title = `Failed: ${failureText(channel, provider, error ?? null)}`;
    const extra = original ? [`To ${original.toAddress}`] : [];
    return { tone: latestRetry?.sentAt ? 'ok' : 'failed', title, details: [...extra, ...details] };
  }

  if (last?.outcome === 'failed' && last.willRetry)
    return {
      tone: 'waiting',
      title: `${CH(channel)} retrying after attempt ${last.attempt}: ${attemptErrorText(last.error)}`,
      details,
    };
  if (original?.error && !original.sentAt)
    return {
      tone: 'waiting',
      title: `${CH(channel)} retrying: ${failureText(channel, original.provider, original.error)}`,
      details,
    };
  return { tone: 'info', title: `Sending ${CH(channel)}…`, details };
}
