// Plain-words explanations of run steps for support staff. Pure: data in, sentences out (no I/O,
// no clock: "now" and the quiet-hours check are passed in). The timeline service feeds it records.

/** A recorded attempt, as read from run_step_attempts. */
export interface AttemptFacts {
  attempt: number;
  at: Date;
  outcome: string;
  willRetry: boolean;
  error: Record<string, unknown> | null;
  deferredUntil: Date | null;
  reason: Record<string, unknown> | null;
}

/** One attempt line of a timeline entry. */
export interface AttemptLine {
  attempt: number;
  at: Date;
  outcome: string;
  text: string;
}

/** A recorded step, as read from run_steps. */
export interface StepFacts {
  stepId: string;
  nodeId: string;
  primitive: string;
  enteredAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
  port: string | null;
  reasons: Record<string, unknown>[] | null;
  error: Record<string, unknown> | null;
  /** Recorded attempts of an action step (retries, deferrals), oldest first. */
  attempts?: AttemptFacts[] | undefined;
}

/** A recorded message, as read from messages. */
export interface MessageFacts {
  channel: string;
  status: string;
  provider: string;
  idempotencyKey: string;
  skipReason: string | null;
  error: Record<string, unknown> | null;
  statusHistory: { status: string; at: string | Date; detail?: string | null }[];
  transactional: boolean;
  sentAt: Date | null;
  toAddress: string;
}

/** What the plan says about the step (optional: the plan may not have it). */
export interface PlanFacts {
  type: string;
  action?: string;
  wake?: { kind: string; ms?: number; hour?: number; minute?: number; field?: string };
  event?: { type: string };
  /** A wait's other event types, each its own port (`orEvents` of the plan step). */
  orEvents?: string[];
  timeoutMs?: number;
  /** Port id → label (branch cases, random split arms). */
  portLabels?: Record<string, string>;
  weights?: { port: string; percent: number }[];
  defaultPort?: string;
  /** `end` steps of exit nodes: the exit's label ("Reviewed"). */
  exitLabel?: string;
}

/** The run as far as explaining its current step goes. */
export interface RunFacts {
  status: string;
  currentStep: string | null;
  waitingFor: {
    kind: string;
    until: string | null;
    eventType?: string | null;
    reason?: string | null;
  } | null;
}

/** Everything besides the records themselves. */
export interface ExplainContext {
  timeZone: string;
  run: RunFacts;
  plan?: PlanFacts | undefined;
  nodeLabel?: string | null | undefined;
  /**
   * When the quiet-hours rule would defer a marketing SMS at this instant, the end of quiet hours.
   * Only for steps recorded before deferrals were recorded as outcomes.
   */
  quietUntil?: ((at: Date) => Date | null) | undefined;
}

/** A step in words. */
export interface Explained {
  tone: 'ok' | 'info' | 'waiting' | 'skipped' | 'failed';
  title: string;
  details: string[];
  /** Action steps: every attempt in words. */
  attempts?: AttemptLine[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "7 days", "2 days 3 hours", "45 minutes", "less than a minute". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < MINUTE) return 'less than a minute';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.round((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0)
    return minutes > 0 ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}` : plural(hours, 'hour');
  return plural(minutes, 'minute');
}

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
};

/** "10:00" in the zone. */
export function clockIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: validZone(timeZone),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/**
 * "Fri, Dec 18, 11:05 (Europe/Paris)": always with the date, so a weekday never reads as the wrong
 * week, and always labelled with the zone it is written in.
 */
export function localTime(at: Date, timeZone: string): string {
  const tz = validZone(timeZone);
  const day = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(at);
  return `${day}, ${clockIn(at, tz)} (${tz})`;
}

const MONEY_FIELD = /(aov|total|totalSpent|spent|price|revenue|amount)$/i;
const FIELD_LABELS: Record<string, string> = {
  'customer.stats.aov': 'AOV',
  'customer.stats.ordersCount': 'Orders',
  'customer.stats.totalSpent': 'Total spent',
  'order.total': 'Order total',
  'customer.tags': 'Tags',
};
// Stored reasons name any field a rule used: read own keys only (`toString` is not a label).
const labelOf = (field: string) => (Object.hasOwn(FIELD_LABELS, field) ? FIELD_LABELS[field] : field);
const OP: Record<string, [string, string]> = {
  eq: ['=', '≠'],
  neq: ['≠', '='],
  gt: ['>', '≤'],
  gte: ['≥', '<'],
  lt: ['<', '≥'],
  lte: ['≤', '>'],
  contains: ['contains', 'does not contain'],
  in: ['is one of', 'is not one of'],
};

/** "$312.40" for money-like fields, else the value as written. */
export function showValue(field: string, v: unknown): string {
  if (v === undefined || v === null) return '(missing)';
  const num =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && v.trim() && !Number.isNaN(Number(v))
        ? Number(v)
        : null;
  if (num !== null && MONEY_FIELD.test(field)) {
    const cents = !Number.isInteger(num);
    return num.toLocaleString('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: cents ? 2 : 0,
      maximumFractionDigits: 2,
    });
  }
  if (Array.isArray(v)) return v.map(String).join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One compared value: "AOV $312.40 > $300" when it passed, "AOV $120 ≤ $300" when it did not. */
export function reasonText(r: Record<string, unknown>): string {
  const field = String(r.field ?? '');
  const op = String(r.op ?? '');
  const passed = r.passed === true;
  if (op === 'in_segment') return `${passed ? 'in' : 'not in'} segment ${String(r.expected ?? '')}`;
  if (op === 'exists') return `${labelOf(field)} ${passed ? 'is set' : 'is missing'}`;
  if (op === 'is_true' || op === 'is_false') return String(r.text ?? `${field} ${op}`);
  const sym = Object.hasOwn(OP, op) ? OP[op] : undefined;
  if (!field || !sym) return String(r.text ?? r.reason ?? '');
  const label = labelOf(field);
  return `${label} ${showValue(field, r.actual)} ${passed ? sym[0] : sym[1]} ${showValue(field, r.expected)}`;
}

const CHANNEL = (c: string) => (c === 'sms' ? 'SMS' : c === 'email' ? 'Email' : c);

/** Why a message was not sent, in words ("unsubscribed from SMS", "frequency cap"). */
export function skipText(reason: string, channel: string): string {
  const ch = CHANNEL(channel);
  const map: Record<string, string> = {
    unsubscribed: `unsubscribed from ${ch}`,
    no_consent: `no ${ch} consent (never opted in)`,
    no_address: channel === 'sms' ? 'no phone number on file' : 'no email address on file',
    suppressed_unsubscribed: `address unsubscribed (suppression list)`,
    suppressed_hard_bounce: 'address hard-bounced before (suppression list)',
    suppressed_complaint: 'customer marked a message as spam (suppression list)',
    suppressed_stop: 'customer texted STOP',
    capped: 'frequency cap',
    quiet_hours: 'quiet hours',
    customer_missing: 'customer no longer exists',
  };
  return map[reason] ?? reason.replaceAll('_', ' ');
}

const FAILURE_TEXT: Record<string, string> = {
  invalid_recipient: 'invalid',
  recipient_unsubscribed: 'recipient unsubscribed at the provider',
  rejected: 'rejected by the provider',
  rate_limited: 'provider rate limit',
  provider_unavailable: 'provider unavailable',
  network: 'network error',
  render_failed: 'template error',
};

/** "invalid phone number (Twilio 21211: …)". */
export function failureText(
  channel: string,
  provider: string,
  error: Record<string, unknown> | null,
): string {
  if (!error) return 'unknown error';
  const code = String(error.code ?? error.type ?? '').replace(/^send\./, '');
  const what =
    code === 'invalid_recipient'
      ? `invalid ${channel === 'sms' ? 'phone number' : 'email address'}`
      : (FAILURE_TEXT[code] ?? (code ? code.replaceAll('_', ' ') : 'error'));
  const reason = String(error.reason ?? error.message ?? '');
  const providerName = provider === 'twilio' ? 'Twilio' : provider === 'resend' ? 'Resend' : provider;
  const providerCode = error.providerCode ? ` ${String(error.providerCode)}` : '';
  const status = !error.providerCode && error.status ? ` HTTP ${String(error.status)}` : '';
  const head = providerCode || status ? `${providerName}${providerCode}${status}` : '';
  const paren = [head, reason].filter(Boolean).join(': ');
  return paren ? `${what} (${paren})` : what;
}

/** Delivery progress after the send: "delivered, opened, clicked". */
export function deliveryTrail(m: MessageFacts): string[] {
  const after = ['delivered', 'opened', 'clicked', 'bounced', 'complained', 'undelivered', 'failed'];
  const seen: string[] = [];
  for (const h of m.statusHistory)
    if (after.includes(h.status) && !seen.includes(h.status)) seen.push(h.status);
  if (after.includes(m.status) && !seen.includes(m.status)) seen.push(m.status);
  return seen;
}
