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

/** Details shared by every act outcome: provider retries and manual retries. */
function retryDetails(messages: MessageFacts[]): string[] {
  const out: string[] = [];
  const original = originalOf(messages);
  // A retryable provider error is noted on the message while Temporal retries the activity.
  if (original?.error && original.sentAt) {
    out.push(
      `Retried after a provider error: ${failureText(original.channel, original.provider, original.error)}`,
    );
  }
  messages.filter(isRetry).forEach((m, i) => {
    out.push(`Manual retry ${i + 1}: ${messageOutcome(m).text}`);
  });
  return out;
}

/** Explains an `act` step: a send (sent / skipped / deferred / failed) or another action. */
export function explainAct(step: StepFacts, messages: MessageFacts[], ctx: ExplainContext): Explained {
  const { timeZone, run } = ctx;
  const original = originalOf(messages);
  const channel =
    original?.channel ??
    (ctx.plan?.action?.startsWith('sms.') ? 'sms' : ctx.plan?.action?.startsWith('email.') ? 'email' : null);
  const details = retryDetails(messages);
  const latestRetry = messages.filter(isRetry).at(-1);
  const name = ctx.plan?.action ?? 'action';

  if (!channel) {
    if (step.outcome === 'failed')
      return { tone: 'failed', title: `Failed: ${String(step.error?.message ?? 'action failed')}`, details };
    if (step.outcome === 'skipped') {
      const why = String(step.reasons?.[0]?.reason ?? 'nothing to do');
      return { tone: 'skipped', title: `Skipped ${name}: ${why.replaceAll('_', ' ')}`, details };
    }
    if (step.outcome === 'ok') return { tone: 'ok', title: `Done: ${name}`, details };
    return { tone: 'info', title: `Running ${name}…`, details };
  }

  // Deferred right now: the step has no outcome yet and the run sleeps on it.
  if (
    !step.outcome &&
    run.currentStep === step.stepId &&
    run.waitingFor?.kind === 'sleep' &&
    run.status === 'waiting'
  ) {
    const until = run.waitingFor.until ? new Date(run.waitingFor.until) : null;
    const when = until
      ? `until ${clockIn(until, timeZone)} local (${localTime(until, timeZone, step.enteredAt)})`
      : '';
    const quiet = !!ctx.quietUntil?.(step.enteredAt);
    const why = quiet || channel === 'sms' ? 'quiet hours' : 'sending rules';
    return {
      tone: 'waiting',
      title: `${CH(channel)} deferred by ${why} ${when}`.trim(),
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
    const gap = original.sentAt ? original.sentAt.getTime() - step.enteredAt.getTime() : 0;
    const quietEnd = ctx.quietUntil?.(step.enteredAt);
    if (original.sentAt && quietEnd && gap > 60_000) {
      out.details.unshift(
        `Deferred by quiet hours from ${clockIn(step.enteredAt, timeZone)} until ${clockIn(original.sentAt, timeZone)} local (waited ${formatDuration(gap)})`,
      );
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
    const error = original?.error ?? step.error;
    const title = `Failed: ${failureText(channel, original?.provider ?? '', error ?? null)}`;
    const extra = original ? [`To ${original.toAddress}`] : [];
    return { tone: latestRetry?.sentAt ? 'ok' : 'failed', title, details: [...extra, ...details] };
  }

  if (original?.error && !original.sentAt)
    return {
      tone: 'waiting',
      title: `${CH(channel)} retrying: ${failureText(channel, original.provider, original.error)}`,
      details,
    };
  return { tone: 'info', title: `Sending ${CH(channel)}…`, details };
}
