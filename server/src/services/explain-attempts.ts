import { type AttemptFacts, type AttemptLine, clockIn } from './explain-format';

export type { AttemptFacts, AttemptLine };

// Each attempt of an action step in words: retries with the provider's error, quiet-hours
// deferrals with their end, the final outcome. Pure, like the rest of the explainer.

const PROVIDER: Record<string, string> = { twilio: 'Twilio', resend: 'Resend', outbox: 'Outbox' };
const WORDS: Record<string, string> = {
  rate_limited: 'rate limited',
  provider_unavailable: 'provider unavailable',
  network: 'network error',
  render_failed: 'template error',
  invalid_recipient: 'invalid recipient',
  no_secret: 'secret missing',
  blocked_address: 'internal address refused',
  insecure_scheme: 'plain http refused',
  redirect: 'redirect not followed',
};

/** "Twilio 503: Service Unavailable", "Twilio 400, code 21211: …", "network error: …". */
export function attemptErrorText(error: Record<string, unknown> | null): string {
  if (!error) return 'unknown error';
  const type = String(error.type ?? 'error');
  const provider = typeof error.provider === 'string' ? (PROVIDER[error.provider] ?? error.provider) : null;
  const status = typeof error.status === 'number' ? String(error.status) : null;
  const code = error.providerCode ? `code ${String(error.providerCode)}` : null;
  const word = type.replace(/^(send|action)\./, '');
  // Known codes read as words whatever their namespace (`webhook.no_secret`, `outbound.redirect`).
  const known = WORDS[type.replace(/^[a-z_]+\./, '')];
  const head =
    status || code
      ? [provider, [status, code].filter(Boolean).join(', ')].filter(Boolean).join(' ')
      : (known ?? word.replaceAll('_', ' '));
  const message = String(error.message ?? '');
  return message ? `${head}: ${message}` : head;
}

/** The zone a deferral was computed in (recorded with it), else the customer's. */
export const deferralZone = (a: AttemptFacts, fallback: string) =>
  typeof a.reason?.timeZone === 'string' ? a.reason.timeZone : fallback;

/** "quiet hours until 08:00 America/Chicago". */
export function deferralText(a: AttemptFacts, fallbackZone: string): string {
  const zone = deferralZone(a, fallbackZone);
  const why = a.reason?.kind === 'quiet_hours' || !a.reason ? 'quiet hours' : String(a.reason.kind);
  return a.deferredUntil ? `${why} until ${clockIn(a.deferredUntil, zone)} ${zone}` : why;
}

/** "(21:00–08:00 local)" when the deferral recorded its window. */
function windowText(a: AttemptFacts): string {
  const w = a.reason?.window as { start?: string; end?: string } | null | undefined;
  return w?.start && w.end ? ` (quiet hours ${w.start}–${w.end} local)` : '';
}

/** One attempt in words, e.g. "Attempt 1 at 10:02 — Twilio 503: Service Unavailable; retried". */
export function attemptText(a: AttemptFacts, timeZone: string, done: string): string {
  const when = `at ${clockIn(a.at, timeZone)}`;
  if (a.outcome === 'deferred') return `Deferred ${when} — ${deferralText(a, timeZone)}${windowText(a)}`;
  const head = `Attempt ${a.attempt} ${when}`;
  if (a.outcome === 'ok') return `${head} — ${done}`;
  if (a.outcome === 'skipped') return `${head} — skipped`;
  const error = attemptErrorText(a.error);
  const next = a.willRetry
    ? 'retried'
    : a.error?.retryable === false
      ? 'not retried (permanent error)'
      : 'no attempts left';
  return `${head} — ${error.replace(/\.$/, '')}; ${next}`;
}

/** Every attempt of a step, oldest first, in words; `done` names a success ("sent", "done"). */
export function attemptLines(attempts: AttemptFacts[], timeZone: string, done: string): AttemptLine[] {
  return attempts.map((a) => ({
    attempt: a.attempt,
    at: a.at,
    outcome: a.outcome,
    text: attemptText(a, timeZone, done),
  }));
}
