import { type ChannelsConfig, createSender, unsubscribeUrl } from '@hourglass/channels';
import { getCustomer, getMessage, getSuppressionReason, providerWebhooks } from '@hourglass/db';
import { seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/server';
import { addCustomer, emailRequest, smsRequest } from './helpers';
import { type WebhookEnv, webhookEnv } from './providers';

let t: TestDatabase;
let emu: Emulator;
let app: FastifyInstance;
let base: string;
let config: ChannelsConfig;
let env: WebhookEnv;
const NOON_NY = new Date('2025-06-10T16:00:00Z');

beforeAll(async () => {
  env = await webhookEnv('channels_webhooks');
  ({ t, emu, app, base, config } = env);
});
afterAll(async () => {
  await env?.close();
});

const webhookCount = async () => (await t.db.select().from(providerWebhooks)).length;

async function sentEmail(email: string) {
  const ws = await seedWorkspace(t.db);
  const c = await addCustomer(t.db, ws.id, { email });
  const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(emailRequest(ws.id, c));
  const m = (await getMessage(t.db, ws.id, res.messageId!))!;
  return { ws, c, m };
}

describe('POST /webhooks/resend', () => {
  it('records delivery once, even when the webhook is delivered twice', async () => {
    const { ws, m } = await sentEmail('hooked@example.com');
    const event = {
      type: 'email.delivered',
      created_at: new Date().toISOString(),
      data: { email_id: m.providerMessageId },
    };
    expect(
      await emu.sendResendWebhook(`${base}/webhooks/resend`, config.resendWebhookSecret!, event, {
        id: 'msg_dup',
      }),
    ).toBe(200);
    expect(
      await emu.sendResendWebhook(`${base}/webhooks/resend`, config.resendWebhookSecret!, event, {
        id: 'msg_dup',
      }),
    ).toBe(200);
    const after = await getMessage(t.db, ws.id, m.id);
    expect(after?.status).toBe('delivered');
    expect(after?.statusHistory.filter((h) => h.status === 'delivered')).toHaveLength(1);
  });

  it('rejects a bad signature with 401 and records nothing', async () => {
    const { ws, m } = await sentEmail('forged@example.com');
    const before = await webhookCount();
    const event = { type: 'email.complained', data: { email_id: m.providerMessageId } };
    expect(
      await emu.sendResendWebhook(`${base}/webhooks/resend`, config.resendWebhookSecret!, event, {
        tamper: true,
      }),
    ).toBe(401);
    expect(
      await emu.sendResendWebhook(
        `${base}/webhooks/resend`,
        'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==',
        event,
      ),
    ).toBe(401);
    expect(await webhookCount()).toBe(before);
    expect((await getMessage(t.db, ws.id, m.id))?.status).toBe('sent');
    expect(await getSuppressionReason(t.db, ws.id, 'email', 'forged@example.com')).toBeNull();
  });

  it('suppresses hard bounces and complaints, not transient bounces', async () => {
    const hook = (event: object) =>
      emu.sendResendWebhook(`${base}/webhooks/resend`, config.resendWebhookSecret!, event);
    const hard = await sentEmail('hard@example.com');
    await hook({
      type: 'email.bounced',
      data: { email_id: hard.m.providerMessageId, bounce: { type: 'Permanent', message: 'No such user' } },
    });
    expect((await getMessage(t.db, hard.ws.id, hard.m.id))?.status).toBe('bounced');
    expect(await getSuppressionReason(t.db, hard.ws.id, 'email', 'hard@example.com')).toBe('hard_bounce');
    const soft = await sentEmail('soft@example.com');
    await hook({
      type: 'email.bounced',
      data: { email_id: soft.m.providerMessageId, bounce: { type: 'Transient' } },
    });
    expect(await getSuppressionReason(t.db, soft.ws.id, 'email', 'soft@example.com')).toBeNull();
    const spam = await sentEmail('spam@example.com');
    await hook({ type: 'email.opened', data: { email_id: spam.m.providerMessageId } });
    await hook({ type: 'email.complained', data: { email_id: spam.m.providerMessageId } });
    const m = await getMessage(t.db, spam.ws.id, spam.m.id);
    expect(m?.status).toBe('complained');
    expect(m?.statusHistory.map((h) => h.status)).toEqual(['reserved', 'sent', 'opened', 'complained']);
    expect(await getSuppressionReason(t.db, spam.ws.id, 'email', 'spam@example.com')).toBe('complaint');
  });
});

describe('Twilio webhooks', () => {
  async function sentSms(phone: string) {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { phone });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(smsRequest(ws.id, c));
    return { ws, c, m: (await getMessage(t.db, ws.id, res.messageId!))! };
  }
  const token = () => config.twilio!.authToken;

  it('applies status callbacks once and rejects bad signatures', async () => {
    const { ws, m } = await sentSms('+15553000001');
    const url = `${base}/webhooks/twilio/status`;
    const params = { MessageSid: m.providerMessageId!, MessageStatus: 'delivered', AccountSid: 'ACtest' };
    const before = await webhookCount();
    expect(
      await emu.sendTwilioWebhook(
        url,
        token(),
        { ...params, MessageStatus: 'undelivered' },
        { tamper: true },
      ),
    ).toBe(401);
    expect(await webhookCount()).toBe(before);
    expect(await emu.sendTwilioWebhook(url, token(), params)).toBe(200);
    expect(await emu.sendTwilioWebhook(url, token(), params)).toBe(200);
    const after = await getMessage(t.db, ws.id, m.id);
    expect(after?.status).toBe('delivered');
    expect(after?.statusHistory.filter((h) => h.status === 'delivered')).toHaveLength(1);
  });

  it('STOP suppresses the number and revokes SMS consent; START lifts it', async () => {
    const { ws, c } = await sentSms('+15553000002');
    const url = `${base}/webhooks/twilio/inbound`;
    const inbound = (body: string, sid: string) =>
      emu.sendTwilioWebhook(url, token(), {
        MessageSid: sid,
        From: '+15553000002',
        To: '+15550000000',
        Body: body,
      });
    expect(await inbound(' stop ', 'SMin1')).toBe(200);
    expect(await getSuppressionReason(t.db, ws.id, 'sms', '+15553000002')).toBe('stop');
    expect((await getCustomer(t.db, ws.id, c.id))?.consent.sms).toBe('unsubscribed');
    const blocked = await createSender({ db: t.db, config, now: () => NOON_NY }).send(
      smsRequest(ws.id, c, { transactional: true }),
    );
    expect(blocked).toMatchObject({ status: 'suppressed', reason: 'suppressed_stop' });
    expect(await inbound('START', 'SMin2')).toBe(200);
    expect(await getSuppressionReason(t.db, ws.id, 'sms', '+15553000002')).toBeNull();
    expect((await getCustomer(t.db, ws.id, c.id))?.consent.sms).toBe('subscribed');
  });
});

describe('/unsubscribe', () => {
  it('GET confirms without unsubscribing; one-click POST unsubscribes; bad tokens are refused', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'leaver@example.com' });
    const link = unsubscribeUrl(config, ws.id, 'email', 'leaver@example.com');
    const page = await app.inject({ method: 'GET', url: link.slice(base.length) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('leaver@example.com');
    expect(await getSuppressionReason(t.db, ws.id, 'email', 'leaver@example.com')).toBeNull();
    const post = await app.inject({
      method: 'POST',
      url: link.slice(base.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    expect(await getSuppressionReason(t.db, ws.id, 'email', 'leaver@example.com')).toBe('unsubscribed');
    expect((await getCustomer(t.db, ws.id, c.id))?.consent.email).toBe('unsubscribed');
    const forged = await app.inject({ method: 'POST', url: `${link.slice(base.length)}x` });
    expect(forged.statusCode).toBe(400);
  });
});
