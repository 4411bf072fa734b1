import { type ChannelsConfig, createSender } from '@hourglass/channels';
import { getMessage } from '@hourglass/db';
import { seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/server';
import { addCustomer, emailRequest, smsRequest } from './helpers';
import { type WebhookEnv, webhookEnv } from './providers';

// Provider status webhooks (through the real Resend and Twilio SDKs and the emulator) become
// `message.*` events through the events outbox, once per message and kind.

let t: TestDatabase;
let emu: Emulator;
let base: string;
let config: ChannelsConfig;
let env: WebhookEnv;
const NOON_NY = new Date('2025-06-10T16:00:00Z');

beforeAll(async () => {
  env = await webhookEnv('channels_engagement_events');
  ({ t, emu, base, config } = env);
});
afterAll(async () => {
  await env?.close();
});

type EventRow = { id: string; type: string; customer_id: string; properties: Record<string, unknown> };
const eventsOf = async (workspaceId: string) =>
  (
    await t.pool.query<EventRow & { outbox: number }>(
      `select e.id, e.type, e.customer_id, e.properties,
              (select count(*)::int from event_outbox o where o.workspace_id = e.workspace_id and o.event_id = e.id) as outbox
         from events e where e.workspace_id = $1 order by e.type`,
      [workspaceId],
    )
  ).rows;

describe('provider webhooks as engagement events', () => {
  it('Resend delivered, opened and clicked (each reported twice) are one event each, with the ids and the URL', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'engaged@example.com' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(emailRequest(ws.id, c));
    const m = (await getMessage(t.db, ws.id, res.messageId!))!;
    const hook = (type: string, id: string, data: Record<string, unknown> = {}) =>
      emu.sendResendWebhook(
        `${base}/webhooks/resend`,
        config.resendWebhookSecret!,
        { type, created_at: new Date().toISOString(), data: { email_id: m.providerMessageId, ...data } },
        { id },
      );
    const click = { click: { link: 'https://shop.example/review/1001' } };
    for (const [type, data] of [
      ['email.delivered', {}],
      ['email.opened', {}],
      ['email.clicked', click],
    ] as const) {
      // A provider's own retry (same delivery id) and a second report of the same thing (new id).
      expect(await hook(type, `${type}-1`, data)).toBe(200);
      expect(await hook(type, `${type}-1`, data)).toBe(200);
      expect(await hook(type, `${type}-2`, data)).toBe(200);
    }
    const events = await eventsOf(ws.id);
    expect(events.map((e) => e.type)).toEqual(['message.clicked', 'message.delivered', 'message.opened']);
    for (const e of events) {
      expect(e.customer_id).toBe(c.id);
      expect(e.outbox).toBe(1);
      expect(e.properties).toMatchObject({
        messageId: m.id,
        runId: m.runId,
        journeyId: m.journeyId,
        stepId: m.stepId,
        channel: 'email',
      });
    }
    expect(events[0]!.properties.url).toBe('https://shop.example/review/1001');
    expect(events[1]!.properties.url).toBeUndefined();
  });

  it('a Twilio delivered callback (twice) is one message.delivered event; other statuses none', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { phone: '+15553100001' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(smsRequest(ws.id, c));
    const m = (await getMessage(t.db, ws.id, res.messageId!))!;
    const url = `${base}/webhooks/twilio/status`;
    const params = { MessageSid: m.providerMessageId!, MessageStatus: 'delivered', AccountSid: 'ACtest' };
    expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, params)).toBe(200);
    expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, params)).toBe(200);
    const sent = { ...params, MessageStatus: 'sent' };
    expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, sent)).toBe(200);
    const events = await eventsOf(ws.id);
    expect(events.map((e) => [e.type, e.properties.messageId, e.properties.channel])).toEqual([
      ['message.delivered', m.id, 'sms'],
    ]);
  });
});
