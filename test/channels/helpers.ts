import {
  ChannelSendError,
  type ChannelSendResult,
  type ChannelsConfig,
  type createSender,
} from '@hourglass/channels';
import { type Customer, type CustomerInput, customers, type Db } from '@hourglass/db';
import type { SendRequest } from '@hourglass/nodes';
import { emulatorPolicy } from '../emulator/server';

/** Channel config for tests: providers only when an emulator URL is given. */
export function testConfig(emulatorUrl?: string, overrides: Partial<ChannelsConfig> = {}): ChannelsConfig {
  return {
    resend: emulatorUrl ? { apiKey: 're_test', from: 'Shop <shop@example.com>', baseUrl: emulatorUrl } : null,
    twilio: emulatorUrl
      ? { accountSid: 'ACtest', authToken: 'twilio-token', from: '+15550000000', baseUrl: emulatorUrl }
      : null,
    emailFrom: 'Shop <shop@example.com>',
    secretKey: 'test-secret',
    publicUrl: 'http://hourglass.test',
    resendWebhookSecret: `whsec_${Buffer.from('resend-webhook-secret-0123456789').toString('base64')}`,
    // Long enough for a loaded test box; the storm test shortens it so hangs resolve quickly.
    timeoutMs: 3000,
    outbound: emulatorPolicy(emulatorUrl),
    ...overrides,
  };
}

/** Inserts a customer with consent and zone; marketing consent defaults to subscribed. */
export async function addCustomer(db: Db, workspaceId: string, input: CustomerInput = {}): Promise<Customer> {
  const [row] = await db
    .insert(customers)
    .values({
      workspaceId,
      email: 'ada@example.com',
      phone: '+15551230000',
      firstName: 'Ada',
      timezone: 'America/New_York',
      ...input,
      consent: { email: 'subscribed', sms: 'subscribed', ...input.consent },
      attributes: input.attributes ?? {},
    })
    .returning();
  return row!;
}

let seq = 0;
/** A send request for the customer (marketing email unless overridden). */
export function emailRequest(workspaceId: string, c: Customer, over: Partial<SendRequest> = {}): SendRequest {
  seq += 1;
  return {
    channel: 'email',
    subject: 'Thanks {{ customer.firstName }}',
    preheader: 'Your order',
    body: 'Hi {{ customer | first_name }}, your total was {{ order.total | money }}.',
    fromName: '',
    fromEmail: '',
    replyTo: '',
    idempotencyKey: `run-${seq}:step`,
    runId: `run-${seq}`,
    stepId: 'step',
    workspaceId,
    journeyId: 'journey',
    transactional: false,
    customer: { id: c.id, email: c.email, phone: c.phone, firstName: c.firstName, timeZone: c.timezone },
    order: { number: '1001', total: 42.5, currency: 'EUR', items: [] },
    trigger: { type: 'order.placed' },
    ...over,
  } as SendRequest;
}

/** An SMS send request for the customer (marketing unless overridden). */
export function smsRequest(workspaceId: string, c: Customer, over: Partial<SendRequest> = {}): SendRequest {
  const {
    subject: _s,
    preheader: _p,
    body: _b,
    fromName: _n,
    fromEmail: _e,
    replyTo: _r,
    ...base
  } = emailRequest(workspaceId, c) as SendRequest & { channel: 'email' };
  return {
    ...base,
    channel: 'sms',
    text: 'Hi {{ customer.firstName }}, order {{ order.number }} shipped',
    sender: '',
    ...over,
  } as SendRequest;
}

/**
 * Calls send the way the engine's retry policy would: again on retryable errors with the same
 * request (same idempotency key), waiting Retry-After (capped for test speed).
 */
export async function sendWithRetries(
  sender: ReturnType<typeof createSender>,
  req: SendRequest,
  maxAttempts = 60,
): Promise<{ result: ChannelSendResult; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await sender.send(req), attempts: attempt };
    } catch (e) {
      if (!(e instanceof ChannelSendError) || !e.retryable || attempt >= maxAttempts) throw e;
      await new Promise((r) => setTimeout(r, Math.min(e.retryAfterMs ?? 5, 20)));
    }
  }
}
