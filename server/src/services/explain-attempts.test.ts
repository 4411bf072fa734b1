import { describe, expect, it } from 'vitest';
import {
  type AttemptFacts,
  attemptErrorText,
  explainStep,
  type MessageFacts,
  type StepFacts,
} from './explain';

// Each recorded attempt of an action step in words: retries with their provider errors, failures.

const tz = 'America/Chicago';
const idle = { status: 'completed', currentStep: null, waitingFor: null };
const step = (over: Partial<StepFacts>): StepFacts => ({
  stepId: 's',
  nodeId: 'n',
  primitive: 'act',
  enteredAt: new Date('2025-01-07T16:00:00Z'),
  finishedAt: new Date('2025-01-07T16:06:00Z'),
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
  sentAt: new Date('2025-01-07T16:05:00Z'),
  toAddress: '+15550100',
  ...over,
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
const unavailable = {
  type: 'send.provider_unavailable',
  message: 'Service Unavailable',
  retryable: true,
  provider: 'twilio',
  status: 503,
  providerCode: null,
};

describe('recorded attempts', () => {
  const sms = { type: 'act', action: 'sms.send' };

  it('provider errors in words', () => {
    expect(attemptErrorText(unavailable)).toBe('Twilio 503: Service Unavailable');
    expect(attemptErrorText({ ...unavailable, status: 400, providerCode: '21211', message: 'bad' })).toBe(
      'Twilio 400, code 21211: bad',
    );
    expect(attemptErrorText({ type: 'send.network', message: 'socket hang up', retryable: true })).toBe(
      'network error: socket hang up',
    );
    // Known codes read as words in any namespace; unknown ones keep theirs.
    expect(attemptErrorText({ type: 'webhook.no_secret', message: 'Secret "crm" not found' })).toBe(
      'secret missing: Secret "crm" not found',
    );
    expect(attemptErrorText({ type: 'outbound.blocked_address', message: '' })).toBe(
      'internal address refused',
    );
    expect(attemptErrorText({ type: 'webhook.http', message: 'answered 500' })).toBe(
      'webhook.http: answered 500',
    );
  });

  it('two 503s and then a success: each attempt with its time and error', () => {
    const attempts = [
      attempt({ outcome: 'failed', willRetry: true, error: unavailable }),
      attempt({
        attempt: 2,
        at: new Date('2025-01-07T16:03:00Z'),
        outcome: 'failed',
        willRetry: true,
        error: unavailable,
      }),
      attempt({ attempt: 3, at: new Date('2025-01-07T16:05:00Z') }),
    ];
    const out = explainStep(
      step({ attempts }),
      [msg({ error: { code: 'provider_unavailable', status: 503 } })],
      {
        timeZone: tz,
        run: idle,
        plan: sms,
      },
    );
    expect(out.title).toBe('SMS sent');
    expect(out.attempts?.map((a) => a.text)).toEqual([
      'Attempt 1 at 10:02 — Twilio 503: Service Unavailable; retried',
      'Attempt 2 at 10:03 — Twilio 503: Service Unavailable; retried',
      'Attempt 3 at 10:05 — sent',
    ]);
    // The recorded attempts replace the older "retried after a provider error" summary.
    expect(out.details.join('\n')).not.toMatch(/Retried after/);
  });

  it('retrying now, then a permanent failure with the provider code', () => {
    const first = attempt({ outcome: 'failed', willRetry: true, error: unavailable });
    const retrying = explainStep(step({ outcome: null, finishedAt: null, attempts: [first] }), [], {
      timeZone: tz,
      run: { status: 'running', currentStep: 's', waitingFor: null },
      plan: sms,
    });
    expect(retrying).toMatchObject({
      tone: 'waiting',
      title: 'SMS retrying after attempt 1: Twilio 503: Service Unavailable',
    });
    const invalid = {
      type: 'send.invalid_recipient',
      message: "The 'To' number 555-0100 is not a valid phone number.",
      retryable: false,
      provider: 'twilio',
      status: 400,
      providerCode: '21211',
    };
    const last = attempt({
      attempt: 2,
      at: new Date('2025-01-07T16:03:00Z'),
      outcome: 'failed',
      error: invalid,
    });
    // No ledger row to read: the title comes from the recorded attempt.
    const failed = explainStep(step({ outcome: 'failed', attempts: [first, last] }), [], {
      timeZone: tz,
      run: idle,
      plan: sms,
    });
    expect(failed.tone).toBe('failed');
    expect(failed.title).toBe(
      "Failed: invalid phone number (Twilio 21211: The 'To' number 555-0100 is not a valid phone number.)",
    );
    expect(failed.attempts?.[1]?.text).toBe(
      "Attempt 2 at 10:03 — Twilio 400, code 21211: The 'To' number 555-0100 is not a valid phone number; not retried (permanent error)",
    );
  });

  it('a failed webhook action says why from its last attempt', () => {
    const error = {
      type: 'webhook.http',
      message: 'POST https://hooks.example.com answered 500',
      retryable: true,
    };
    const out = explainStep(
      step({ outcome: 'failed', attempts: [attempt({ outcome: 'failed', error })] }),
      [],
      { timeZone: tz, run: idle, plan: { type: 'act', action: 'webhook.call' } },
    );
    expect(out.title).toBe('Failed: webhook.http: POST https://hooks.example.com answered 500');
    expect(out.attempts?.[0]?.text).toBe(
      'Attempt 1 at 10:02 — webhook.http: POST https://hooks.example.com answered 500; no attempts left',
    );
  });
});
