import { describe, expect, it } from 'vitest';
import {
  type AttemptFacts,
  explainStep,
  explainWaiting,
  formatDuration,
  localTime,
  type MessageFacts,
  reasonText,
  type StepFacts,
} from './explain';

const tz = 'America/Chicago';
const idle = { status: 'completed', currentStep: null, waitingFor: null };
const step = (over: Partial<StepFacts>): StepFacts => ({
  stepId: 's',
  nodeId: 'n',
  primitive: 'act',
  enteredAt: new Date('2025-01-07T16:00:00Z'),
  finishedAt: new Date('2025-01-07T16:00:01Z'),
  outcome: 'ok',
  port: null,
  reasons: null,
  error: null,
  ...over,
});
const msg = (over: Partial<MessageFacts>): MessageFacts => ({
  channel: 'sms',
  status: 'sent',
  provider: 'twilio',
  idempotencyKey: 'wf:s',
  skipReason: null,
  error: null,
  statusHistory: [],
  transactional: false,
  sentAt: new Date('2025-01-07T16:00:01Z'),
  toAddress: '+15550100',
  ...over,
});

describe('formatting', () => {
  it('durations and local times', () => {
    expect(formatDuration(7 * 86_400_000)).toBe('7 days');
    expect(formatDuration(26 * 3_600_000)).toBe('1 day 2 hours');
    expect(formatDuration(45 * 60_000)).toBe('45 minutes');
    expect(localTime(new Date('2025-01-14T16:00:00Z'), tz)).toBe('Tue, Jan 14, 10:00 (America/Chicago)');
  });

  it('compared values, with money and the failing side', () => {
    const r = { field: 'customer.stats.aov', op: 'gt', expected: 300, actual: 312.4, passed: true };
    expect(reasonText(r)).toBe('AOV $312.40 > $300');
    expect(reasonText({ ...r, actual: 120, passed: false })).toBe('AOV $120 ≤ $300');
    expect(reasonText({ field: 'segment', op: 'in_segment', expected: 'vip', passed: false })).toBe(
      'not in segment vip',
    );
  });
});

describe('steps in plain words', () => {
  it('a wait', () => {
    const s = step({
      primitive: 'sleep',
      enteredAt: new Date('2025-01-07T16:00:00Z'),
      finishedAt: new Date('2025-01-14T16:00:00Z'),
      outcome: 'woke',
    });
    expect(explainStep(s, [], { timeZone: tz, run: idle }).title).toBe(
      'Waited 7 days — until Tue, Jan 14, 10:00 (America/Chicago)',
    );
  });

  it('a branch, with why the other cases did not match', () => {
    const reasons = [
      { case: 'first', field: 'customer.stats.ordersCount', op: 'eq', expected: 1, actual: 5, passed: false },
      { case: 'loyal', field: 'customer.stats.aov', op: 'gt', expected: 300, actual: 312.4, passed: true },
    ];
    const out = explainStep(step({ primitive: 'decide', port: 'loyal', outcome: 'decided', reasons }), [], {
      timeZone: tz,
      run: idle,
      plan: { type: 'decide', portLabels: { loyal: 'Loyal', first: 'First order' } },
    });
    expect(out.title).toBe('Branch → Loyal: AOV $312.40 > $300');
    expect(out.details).toEqual(['Not First order: Orders 5 ≠ 1']);
  });

  it('an email with its delivery trail', () => {
    const m = msg({
      channel: 'email',
      provider: 'resend',
      statusHistory: ['reserved', 'sent', 'delivered', 'opened', 'clicked'].map((status) => ({
        status,
        at: '',
      })),
      status: 'clicked',
    });
    expect(explainStep(step({}), [m], { timeZone: tz, run: idle }).title).toBe(
      'Email sent — delivered, opened, clicked',
    );
  });

  it('skips: unsubscribed, capped', () => {
    const ctx = { timeZone: tz, run: idle, plan: { type: 'act', action: 'sms.send' } };
    const unsub = msg({ status: 'skipped', skipReason: 'unsubscribed', sentAt: null });
    expect(explainStep(step({ outcome: 'skipped' }), [unsub], ctx).title).toBe(
      'Skipped: unsubscribed from SMS',
    );
    const capped = msg({ status: 'skipped', skipReason: 'capped', sentAt: null });
    const out = explainStep(step({ outcome: 'skipped' }), [capped], ctx);
    expect(out.title).toBe('Skipped: frequency cap');
    expect(out.tone).toBe('skipped');
  });

  it('a permanent provider failure, and a manual retry that worked', () => {
    const error = { code: 'invalid_recipient', providerCode: '21211', reason: 'not a valid phone number' };
    const failed = msg({ status: 'failed', sentAt: null, error });
    const retry = msg({ idempotencyKey: 'wf:s:retry:1' });
    const out = explainStep(step({ outcome: 'failed' }), [failed, retry], { timeZone: tz, run: idle });
    expect(out.title).toBe('Failed: invalid phone number (Twilio 21211: not a valid phone number)');
    expect(out.details).toContain('Manual retry 1: sent');
  });

  it('an SMS deferred by quiet hours, inferred for runs recorded before deferrals were', () => {
    const entered = new Date('2025-01-08T05:00:00Z'); // 23:00 in Chicago
    const until = '2025-01-08T14:00:00Z'; // 08:00
    const waitingRun = { status: 'waiting', currentStep: 's', waitingFor: { kind: 'sleep', until } };
    const ctx = {
      timeZone: tz,
      run: waitingRun,
      plan: { type: 'act', action: 'sms.send' },
      quietUntil: () => new Date(until),
    };
    const now = explainStep(step({ enteredAt: entered, finishedAt: null, outcome: null }), [], ctx);
    expect(now.title).toBe('SMS deferred by quiet hours until Wed, Jan 8, 08:00 (America/Chicago)');
    expect(now.tone).toBe('waiting');
    expect(explainWaiting(waitingRun, tz, { label: 'Review SMS', primitive: 'act' })?.text).toBe(
      'Message deferred by quiet hours at "Review SMS" until Wed, Jan 8, 08:00 (America/Chicago)',
    );
    const later = explainStep(
      step({ enteredAt: entered, finishedAt: new Date(until) }),
      [msg({ sentAt: new Date(until) })],
      {
        ...ctx,
        run: idle,
      },
    );
    expect(later.title).toBe('SMS sent');
    expect(later.details[1]).toBe('Deferred by quiet hours from 23:00 until 08:00 local (waited 9 hours)');
  });
});

const attempt = (over: Partial<AttemptFacts>): AttemptFacts => ({
  attempt: 1,
  at: new Date('2025-01-07T16:02:00Z'), // 10:02 in Chicago
  outcome: 'ok',
  willRetry: false,
  error: null,
  deferredUntil: null,
  reason: null,
  ...over,
});
describe('recorded outcomes', () => {
  const sms = { type: 'act', action: 'sms.send' };

  it('a recorded quiet-hours deferral, now and after the SMS went out', () => {
    const until = new Date('2025-01-08T14:00:00Z'); // 08:00 in Chicago
    const deferred = attempt({
      at: new Date('2025-01-08T05:00:00Z'), // 23:00
      outcome: 'deferred',
      deferredUntil: until,
      reason: { kind: 'quiet_hours', window: { start: '21:00', end: '08:00' }, timeZone: tz },
    });
    const waitingRun = {
      status: 'waiting',
      currentStep: 's',
      waitingFor: { kind: 'sleep', until: until.toISOString(), reason: 'quiet_hours' },
    };
    const entered = { enteredAt: deferred.at, finishedAt: null, attempts: [deferred] };
    const now = explainStep(step({ ...entered, outcome: 'deferred' }), [], {
      timeZone: tz,
      run: waitingRun,
      plan: sms,
    });
    expect(now).toMatchObject({
      tone: 'waiting',
      title: 'SMS deferred by quiet hours until 08:00 America/Chicago',
    });
    expect(now.details[0]).toBe(
      'Due at 23:00 America/Chicago, inside the quiet hours (21:00–08:00 in America/Chicago); it goes out automatically when they end.',
    );
    expect(now.attempts?.[0]?.text).toBe(
      'Deferred at 23:00 — quiet hours until 08:00 America/Chicago (quiet hours 21:00–08:00 local)',
    );
    // Recorded, not inferred: the workflow's own wait kind does not matter.
    expect(explainWaiting(waitingRun, tz, { label: 'Review SMS', primitive: null })?.text).toBe(
      'Message deferred by quiet hours at "Review SMS" until Wed, Jan 8, 08:00 (America/Chicago)',
    );

    const sentAt = new Date('2025-01-08T14:03:00Z');
    const later = explainStep(
      step({ ...entered, finishedAt: sentAt, attempts: [deferred, attempt({ at: sentAt })] }),
      [msg({ sentAt })],
      { timeZone: tz, run: idle, plan: sms },
    );
    expect(later.title).toBe('SMS sent');
    expect(later.details[1]).toBe(
      'Deferred at 23:00 by quiet hours until 08:00 America/Chicago, then sent at 08:03',
    );
    expect(later.attempts?.map((a) => a.outcome)).toEqual(['deferred', 'ok']);

    const cancelled = explainStep(step({ ...entered, outcome: 'interrupted' }), [], {
      timeZone: tz,
      run: idle,
      plan: sms,
    });
    expect(cancelled.title).toBe(
      'SMS deferred by quiet hours until 08:00 America/Chicago — the run ended before it went out',
    );
  });
});
