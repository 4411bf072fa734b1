import { createSender, signUnsubscribeToken } from '@hourglass/channels';
import { getMessage, getSuppressionReason, providerWebhooks } from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { webhookRoutes } from '@hourglass/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { addCustomer, emailRequest, smsRequest, testConfig } from './helpers';
import { signedResend, signedTwilio } from './signed';

// Correctly signed but malformed provider webhooks and unsubscribe tokens: a 400 naming the field,
// or 200 recorded as ignored, never a 500 (providers retry those forever) and no change to messages.

let t: TestDatabase;
let emu: Emulator;
let app: FastifyInstance;
const config = testConfig();
const NOON_NY = new Date('2025-06-10T16:00:00Z');

beforeAll(async () => {
  t = await freshDatabase('channels_webhook_payloads');
  emu = await startEmulator();
  Object.assign(config, testConfig(emu.url));
  app = Fastify();
  await app.register(async (scope) => webhookRoutes(scope, { db: t.db, channels: config }));
});
afterAll(async () => {
  await app?.close();
  await emu?.close();
  await t?.drop();
});

const webhookCount = async () => (await t.db.select().from(providerWebhooks)).length;
const resend = (body: string, id?: string) =>
  app.inject(signedResend('/webhooks/resend', config.resendWebhookSecret!, body, id));
const twilio = (path: string, params: Record<string, string>) =>
  app.inject(signedTwilio(config.publicUrl, path, config.twilio!.authToken, params));

async function sent(channel: 'email' | 'sms', address: string) {
  const ws = await seedWorkspace(t.db);
  const c = await addCustomer(t.db, ws.id, channel === 'email' ? { email: address } : { phone: address });
  const sender = createSender({ db: t.db, config, now: () => NOON_NY });
  const res = await sender.send(channel === 'email' ? emailRequest(ws.id, c) : smsRequest(ws.id, c));
  return { ws, m: (await getMessage(t.db, ws.id, res.messageId!))! };
}

describe('signed Resend webhooks', () => {
  it('a body without the documented shape is a 400 naming the field, and records nothing', async () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const cases: [string, string][] = [
      ['{"type":"email.bounced"}', 'body.data'],
      ['{"type":"email.bounced","data":null}', 'body.data'],
      ['{"type":"email.bounced","data":[]}', 'body.data'],
      ['{"type":"email.bounced","data":[{"email_id":"x"}]}', 'body.data'],
      ['{"type":"email.delivered","data":"x"}', 'body.data'],
      ['[]', 'body'],
      ['null', 'body'],
      ['"email.bounced"', 'body'],
      ['{"type":', 'body'],
      ['{"data":{"email_id":"x"}}', 'body.type'],
      ['{"type":["email.bounced"],"data":{}}', 'body.type'],
      ['{"type":"email.bounced","data":{"email_id":"x","bounce":"gone"}}', 'body.data.bounce'],
      ['{"type":"email.bounced","data":{"email_id":"x","bounce":{"type":7}}}', 'body.data.bounce.type'],
      ['{"type":"email.clicked","data":{"email_id":"x","click":{"link":null}}}', 'body.data.click.link'],
      ['{"type":"email.opened","data":{"email_id":{"$ne":null}}}', 'body.data.email_id'],
      ['{"type":"email.opened","data":{"email_id":"a\\u0000b"}}', 'body.data.email_id'],
      [`{"type":"email.opened","data":{"email_id":"x","tags":${deep}}}`, 'body.data.tags'],
    ];
    const before = await webhookCount();
    for (const [body, field] of cases) {
      const res = await resend(body);
      expect(res.statusCode, `${body.slice(0, 80)} → ${res.body}`).toBe(400);
      expect(res.json().code).toBe('webhook.invalid_payload');
      expect(res.json().field.startsWith(field), `${body.slice(0, 80)} → ${res.json().field}`).toBe(true);
    }
    const longId = await resend('{"type":"email.sent","data":{"email_id":"x"}}', `msg_${'x'.repeat(5000)}`);
    expect(longId.statusCode).toBe(400);
    expect(longId.json()).toMatchObject({ code: 'webhook.invalid_payload', field: 'headers.svix-id' });
    expect(await webhookCount()).toBe(before);
  });

  it('unknown and prototype-named event types are recorded as ignored, the message untouched', async () => {
    const { ws, m } = await sent('email', 'proto@example.com');
    for (const type of [
      'email.delivery_delayed',
      'contact.created',
      'constructor',
      'toString',
      '__proto__',
    ]) {
      const res = await resend(JSON.stringify({ type, data: { email_id: m.providerMessageId } }));
      expect(res.statusCode, `${type} → ${res.body}`).toBe(200);
      expect(res.json()).toEqual({ outcome: 'ignored' });
    }
    const after = await getMessage(t.db, ws.id, m.id);
    expect(after?.status).toBe('sent');
    expect(after?.statusHistory.map((h) => h.status)).toEqual(['reserved', 'sent']);
  });

  it('an unreadable or out-of-range created_at still applies the event, at its receipt', async () => {
    const { ws, m } = await sent('email', 'clock@example.com');
    const before = Date.now();
    for (const [type, created_at] of [
      ['email.delivered', '0000-01-01T00:00:00Z'],
      ['email.bounced', 'yesterday'],
    ] as const) {
      const body = {
        type,
        created_at,
        data: { email_id: m.providerMessageId, bounce: { type: 'Permanent' } },
      };
      const res = await resend(JSON.stringify(body));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ outcome: 'applied' });
    }
    const after = await getMessage(t.db, ws.id, m.id);
    expect(after?.status).toBe('bounced');
    for (const h of after!.statusHistory.slice(-2))
      expect(Date.parse(h.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(await getSuppressionReason(t.db, ws.id, 'email', 'clock@example.com')).toBe('hard_bounce');
  });
});

describe('signed Twilio callbacks', () => {
  it('status: missing fields are ignored; prototype names change nothing; bad fields are a 400', async () => {
    const { ws, m } = await sent('sms', '+15554000001');
    const sid = m.providerMessageId!;
    const status = (params: Record<string, string>) => twilio('/webhooks/twilio/status', params);
    const missing: Record<string, string>[] = [{}, { MessageStatus: 'delivered' }, { AccountSid: 'ACx' }];
    for (const params of missing) {
      const res = await status(params);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ outcome: 'ignored' });
    }
    for (const s of ['constructor', 'toString', '__proto__']) {
      const res = await status({ MessageSid: sid, MessageStatus: s });
      expect(res.statusCode, `${s} → ${res.body}`).toBe(200);
      expect(res.json()).toEqual({ outcome: 'ignored' });
    }
    const cases: [Record<string, string>, string][] = [
      [{ MessageSid: sid, MessageStatus: 'failed', ErrorCode: 'constructor' }, 'body.ErrorCode'],
      [{ MessageSid: 'x'.repeat(5000), MessageStatus: 'delivered' }, 'body.MessageSid'],
      [{ MessageSid: `${sid}'--`, MessageStatus: 'delivered' }, 'body.MessageSid'],
      [{ MessageSid: sid, MessageStatus: 'delivered', Extra: 'a\u0000b' }, 'body.Extra'],
    ];
    for (const [params, field] of cases) {
      const res = await status(params);
      expect(res.statusCode, `${JSON.stringify(params).slice(0, 80)} → ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'webhook.invalid_payload', field });
    }
    const after = await getMessage(t.db, ws.id, m.id);
    expect(after?.statusHistory.map((h) => h.status)).toEqual(['reserved', 'sent']);
    expect(await getSuppressionReason(t.db, ws.id, 'sms', '+15554000001')).toBeNull();
  });

  it('inbound: missing fields are ignored (empty TwiML); NUL or oversized fields are a 400', async () => {
    const inbound = (params: Record<string, string>) => twilio('/webhooks/twilio/inbound', params);
    const missing: Record<string, string>[] = [{}, { Body: 'STOP' }, { From: '+15554000002', Body: 'STOP' }];
    for (const params of missing) {
      const res = await inbound(params);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toContain('<Response></Response>');
    }
    const before = await webhookCount();
    const cases: [Record<string, string>, string][] = [
      [{ MessageSid: 'SMnul', From: '+15554000002', Body: 'STOP\u0000' }, 'body.Body'],
      [{ MessageSid: 'SMlong', From: `+1${'5'.repeat(5000)}`, Body: 'STOP' }, 'body.From'],
      [{ MessageSid: 'SM-1;drop', From: '+15554000002', Body: 'STOP' }, 'body.MessageSid'],
    ];
    for (const [params, field] of cases) {
      const res = await inbound(params);
      expect(res.statusCode, `${JSON.stringify(params).slice(0, 80)} → ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'webhook.invalid_payload', field });
    }
    expect(await webhookCount()).toBe(before);
  });
});

describe('validly signed unsubscribe tokens', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const token = (workspaceId: string, address = 'gone@example.com') =>
    signUnsubscribeToken(config.secretKey, { workspaceId, channel: 'email', address });

  it('naming a missing or non-UUID workspace read as an invalid link: 400, not 500', async () => {
    for (const workspaceId of ['not-a-uuid', '', "1' or '1'='1", '0f8fad5b-d9cb-469f-a165-70867728950e']) {
      const url = `/unsubscribe?token=${token(workspaceId)}`;
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, `GET ${workspaceId}`).toBe(400);
      expect(page.body).toContain('not valid');
      const oneClick = await app.inject({
        method: 'POST',
        url,
        headers: form,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.statusCode, `POST ${workspaceId} → ${oneClick.body}`).toBe(400);
      expect(oneClick.json()).toMatchObject({ code: 'invalid_token' });
      const html = await app.inject({
        method: 'POST',
        url,
        headers: { ...form, accept: 'text/html' },
        payload: '',
      });
      expect(html.statusCode).toBe(400);
    }
  });

  it('naming an address PostgreSQL cannot store reads as an invalid link', async () => {
    const ws = await seedWorkspace(t.db);
    const res = await app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${token(ws.id, 'a\u0000@example.com')}`,
      headers: form,
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode, res.body).toBe(400);
    const ok = await app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${token(ws.id, 'stays@example.com')}`,
      headers: form,
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await getSuppressionReason(t.db, ws.id, 'email', 'stays@example.com')).toBe('unsubscribed');
  });
});
