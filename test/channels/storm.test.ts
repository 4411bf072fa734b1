import { createSender } from '@hourglass/channels';
import { getMessage, getMessageByIdempotencyKey } from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { addCustomer, emailRequest, sendWithRetries, smsRequest, testConfig } from './helpers';

let t: TestDatabase;
let emu: Emulator;
beforeAll(async () => {
  t = await freshDatabase('channels_storm');
  emu = await startEmulator({ seed: 7, retryAfterSeconds: 0.01 });
});
afterAll(async () => {
  await emu?.close();
  await t?.drop();
});

const NOON_NY = new Date('2025-06-10T16:00:00Z');

describe('delivery under a fault storm (real SDKs against the emulator)', () => {
  it('delivers every message exactly once with 30% faults (429, 500, hangs, lost answers)', async () => {
    const ws = await seedWorkspace(t.db);
    const sender = createSender({
      db: t.db,
      config: testConfig(emu.url, { timeoutMs: 500 }),
      now: () => NOON_NY,
    });
    const customers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        addCustomer(t.db, ws.id, {
          email: `storm${i}@example.com`,
          phone: `+1555200${String(i).padStart(4, '0')}`,
        }),
      ),
    );
    const requests = customers.flatMap((c) => [emailRequest(ws.id, c), smsRequest(ws.id, c)]);
    emu.setFaults(0.3);
    const outcomes = await Promise.all(requests.map((r) => sendWithRetries(sender, r)));
    emu.setFaults(0);

    expect(outcomes.every((o) => o.result.status === 'sent')).toBe(true);
    // The storm really happened.
    expect(emu.requests.filter((r) => r.fault).length).toBeGreaterThan(10);
    expect(outcomes.some((o) => o.attempts > 1)).toBe(true);
    for (const [i, req] of requests.entries()) {
      const to = req.channel === 'email' ? req.customer.email : req.customer.phone;
      const delivered = emu.deliveries.filter((d) => d.to === to);
      expect(delivered, `${req.channel} to ${to}`).toHaveLength(1);
      const m = await getMessage(t.db, ws.id, outcomes[i]!.result.messageId!);
      expect(m).toMatchObject({
        status: 'sent',
        providerMessageId: delivered[0]!.id,
        provider: req.channel === 'email' ? 'resend' : 'twilio',
      });
    }
  });

  it('records invalid recipients as failed with provider code and reason, without retrying', async () => {
    const ws = await seedWorkspace(t.db);
    const sender = createSender({ db: t.db, config: testConfig(emu.url), now: () => NOON_NY });
    emu.invalidRecipients.add('nobody@example.com');
    const c = await addCustomer(t.db, ws.id, { email: 'nobody@example.com', phone: '+0123' });
    const before = emu.requests.length;
    for (const req of [
      emailRequest(ws.id, c, { transactional: true }),
      smsRequest(ws.id, c, { transactional: true }),
    ]) {
      const err = await sendWithRetries(sender, req).catch((e) => e);
      expect(err).toMatchObject({ code: 'send.invalid_recipient', retryable: false });
      const again = await sender.send(req).catch((e) => e);
      expect(again).toMatchObject({ code: 'send.invalid_recipient', retryable: false });
      const m = await getMessageByIdempotencyKey(t.db, ws.id, req.idempotencyKey);
      expect(m).toMatchObject({
        status: 'failed',
        error: {
          code: 'invalid_recipient',
          status: req.channel === 'email' ? 422 : 400,
          providerCode: req.channel === 'email' ? 'validation_error' : '21211',
        },
      });
      expect(m?.error?.reason).toMatch(/invalid|not a valid/i);
    }
    expect(emu.requests.length - before).toBe(2);
  });
});
