import { ProviderFailure, resendProvider, twilioProvider } from '@hourglass/channels';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, emulatorPolicy, startEmulator } from './server';

// The real Resend and Twilio SDKs (wrapped by the channel providers) against the emulator.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ retryAfterSeconds: 2 });
});
afterAll(() => emu.close());
beforeEach(() => emu.setFaults(0));

const email = (key: string, to = 'ada@example.com') => ({
  to,
  from: 'Shop <shop@example.com>',
  subject: 'Hi',
  html: '<p>Hi</p>',
  text: 'Hi',
  headers: { 'List-Unsubscribe': '<https://x/u>' },
  idempotencyKey: key,
  tags: { message_id: 'm1' },
});
// Generous timeouts (a loaded CI box is slow); the hang test passes a short one.
const resend = (timeoutMs = 5000) =>
  resendProvider({ apiKey: 're_test', baseUrl: emu.url }, { timeoutMs, outbound: emulatorPolicy(emu.url) });
const sms = (timeoutMs = 5000) =>
  twilioProvider(
    { accountSid: 'ACtest', authToken: 'tok', from: '+15550000000', baseUrl: emu.url },
    { timeoutMs, outbound: emulatorPolicy(emu.url) },
  );

describe('provider emulator', () => {
  it('accepts a Resend email and honours the Idempotency-Key', async () => {
    const a = await resend().sendEmail(email('k-1'));
    const b = await resend().sendEmail(email('k-1'));
    expect(b.providerMessageId).toBe(a.providerMessageId);
    expect(emu.deliveries.filter((d) => d.idempotencyKey === 'k-1')).toHaveLength(1);
    const req = emu.requests.find((r) => r.path === '/emails');
    expect(req?.headers['idempotency-key']).toBe('k-1');
    expect(emu.deliveries.find((d) => d.idempotencyKey === 'k-1')?.headers?.['List-Unsubscribe']).toBe(
      '<https://x/u>',
    );
  });

  it('accepts a Twilio message through the SDK with the host rewritten', async () => {
    const { providerMessageId } = await sms().sendSms({
      to: '+15551234567',
      body: 'Hello',
      idempotencyKey: 'k',
    });
    expect(providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(emu.requests.at(-1)?.path).toBe('/2010-04-01/Accounts/ACtest/Messages.json');
    expect(emu.requests.at(-1)?.headers.authorization).toMatch(/^Basic /);
  });

  it('rejects invalid recipients as permanent failures with the provider code', async () => {
    emu.invalidRecipients.add('bad@example.com');
    const e1 = await resend()
      .sendEmail(email('k-bad', 'bad@example.com'))
      .catch((e) => e);
    expect(e1).toBeInstanceOf(ProviderFailure);
    expect(e1).toMatchObject({ status: 422, retryable: false, code: 'invalid_recipient' });
    const e2 = await sms()
      .sendSms({ to: '12', body: 'x', idempotencyKey: 'k' })
      .catch((e) => e);
    expect(e2).toMatchObject({
      status: 400,
      retryable: false,
      code: 'invalid_recipient',
      providerCode: '21211',
    });
  });

  it('injects 429 with Retry-After, 500 and hangs as retryable failures', async () => {
    emu.setFaults(1, ['rate_limit']);
    await expect(resend().sendEmail(email('k-429'))).rejects.toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
    await expect(sms().sendSms({ to: '+15551234567', body: 'x', idempotencyKey: 'k' })).rejects.toMatchObject(
      {
        status: 429,
        retryable: true,
        retryAfterMs: 2000,
      },
    );
    emu.setFaults(1, ['server_error']);
    await expect(resend().sendEmail(email('k-500'))).rejects.toMatchObject({ status: 500, retryable: true });
    await expect(sms().sendSms({ to: '+15551234567', body: 'x', idempotencyKey: 'k' })).rejects.toMatchObject(
      {
        status: 500,
        retryable: true,
      },
    );
    emu.setFaults(1, ['hang']);
    await expect(resend(300).sendEmail(email('k-hang'))).rejects.toMatchObject({
      status: null,
      retryable: true,
      ambiguous: true,
    });
    await expect(
      sms(300).sendSms({ to: '+15551234567', body: 'x', idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      status: null,
      retryable: true,
    });
  });

  it('lists sent Twilio messages so a lost answer can be reconciled', async () => {
    emu.setFaults(1, ['drop_after_send']);
    const message = { to: '+15557654321', body: 'Lost answer', idempotencyKey: 'k' };
    const since = new Date();
    await expect(sms().sendSms(message)).rejects.toMatchObject({ retryable: true, ambiguous: true });
    emu.setFaults(0);
    const sid = await sms().findSent?.(message, since);
    expect(sid).toBe(emu.deliveries.find((d) => d.body === 'Lost answer')?.id);
  });

  it('signs webhooks so the official verifiers accept them', async () => {
    const { Webhook } = await import('svix');
    const twilio = (await import('twilio')).default;
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const seen: { headers: Record<string, string>; body: string }[] = [];
    const http = await import('node:http');
    const sink = http.createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      seen.push({ headers: req.headers as Record<string, string>, body });
      res.end('ok');
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;
    try {
      await emu.sendResendWebhook(
        url,
        secret,
        { type: 'email.delivered', data: { email_id: 'e1' } },
        { id: 'msg_1' },
      );
      const r = seen[0]!;
      expect(() => new Webhook(secret).verify(r.body, r.headers)).not.toThrow();
      await emu.sendTwilioWebhook(url, 'tok', { MessageSid: 'SM1', MessageStatus: 'delivered' });
      const t = seen[1]!;
      const params = Object.fromEntries(new URLSearchParams(t.body));
      expect(twilio.validateRequest('tok', t.headers['x-twilio-signature']!, url, params)).toBe(true);
    } finally {
      sink.close();
    }
  });
});
