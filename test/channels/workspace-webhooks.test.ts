import {
  type ChannelsConfig,
  createSender,
  sendTestMessage,
  updateProviderSettings,
} from '@hourglass/channels';
import { getMessage, getSuppressionReason, providerWebhooks, WorkspaceSettings } from '@hourglass/db';
import { seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/server';
import { addCustomer, emailRequest, smsRequest } from './helpers';
import { type WebhookEnv, webhookEnv } from './providers';

// Workspaces with their own Resend / Twilio accounts: webhooks on workspace-scoped paths are
// verified with that workspace's stored secrets, and apply to its messages only.

let t: TestDatabase;
let emu: Emulator;
let base: string;
let config: ChannelsConfig;
let env: WebhookEnv;
const NOON_NY = new Date('2025-06-10T16:00:00Z');
const SID = `AC${'feedface'.repeat(4)}`;

beforeAll(async () => {
  // The environment has its own accounts too: their secrets must not open workspace paths.
  env = await webhookEnv('channels_workspace_webhooks');
  ({ t, emu, base, config } = env);
});
afterAll(async () => {
  await env?.close();
});

const webhookCount = async () => (await t.db.select().from(providerWebhooks)).length;

/** A workspace with its own Twilio and Resend accounts (the emulator), secrets stored encrypted. */
async function ownAccounts(label: string) {
  const ws = await seedWorkspace(t.db);
  const secrets = {
    authToken: `${label}-twilio-token`,
    webhookSecret: `whsec_${Buffer.from(`${label}-resend-webhook-secret-0123`).toString('base64')}`,
  };
  await updateProviderSettings(t.db, config, ws.id, {
    twilio: {
      plain: { accountSid: SID, from: '+15550003333', baseUrl: emu.url },
      secrets: { authToken: secrets.authToken },
    },
    resend: {
      plain: { from: `${label} <hi@${label}.test>`, baseUrl: emu.url },
      secrets: { apiKey: `re_${label}_key`, webhookSecret: secrets.webhookSecret },
    },
  });
  return { ws, ...secrets };
}

describe('Twilio status callbacks of a workspace with its own account', () => {
  it('send with the workspace-scoped callback URL, verified with the stored token', async () => {
    const own = await ownAccounts('alpha');
    const c = await addCustomer(t.db, own.ws.id, { phone: '+15554000001' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(smsRequest(own.ws.id, c));
    const m = (await getMessage(t.db, own.ws.id, res.messageId!))!;
    expect(m.provider).toBe('twilio');
    const url = `${base}/webhooks/twilio/${own.ws.id}/status`;
    const sent = emu.requests.find(
      (r) => r.path.includes(`/Accounts/${SID}/`) && r.body.includes('%2B15554000001'),
    );
    expect(new URLSearchParams(sent!.body).get('StatusCallback')).toBe(url);

    const params = { MessageSid: m.providerMessageId!, MessageStatus: 'delivered', AccountSid: SID };
    const before = await webhookCount();
    // Signed with the environment's token, or tampered: 401, nothing recorded.
    expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, params)).toBe(401);
    expect(await emu.sendTwilioWebhook(url, own.authToken, params, { tamper: true })).toBe(401);
    expect(await webhookCount()).toBe(before);
    expect((await getMessage(t.db, own.ws.id, m.id))?.status).toBe('sent');

    expect(await emu.sendTwilioWebhook(url, own.authToken, params)).toBe(200);
    expect(await webhookCount()).toBe(before + 1);
    expect((await getMessage(t.db, own.ws.id, m.id))?.status).toBe('delivered');
  });

  it("does not apply one workspace's callback to another workspace's message", async () => {
    const victim = await ownAccounts('victim');
    const attacker = await ownAccounts('attacker');
    const c = await addCustomer(t.db, victim.ws.id, { phone: '+15554000002' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(
      smsRequest(victim.ws.id, c),
    );
    const m = (await getMessage(t.db, victim.ws.id, res.messageId!))!;
    const status = await fetch(`${base}/webhooks/twilio/${attacker.ws.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(status.status).toBe(401);
    const url = `${base}/webhooks/twilio/${attacker.ws.id}/status`;
    const params = { MessageSid: m.providerMessageId!, MessageStatus: 'failed', ErrorCode: '30006' };
    const before = await webhookCount();
    expect(await emu.sendTwilioWebhook(url, attacker.authToken, params)).toBe(200);
    expect((await getMessage(t.db, victim.ws.id, m.id))?.status).toBe('sent');
    expect(await getSuppressionReason(t.db, victim.ws.id, 'sms', '+15554000002')).toBeNull();
    // Not marked seen either: the victim's own callback for the same status still applies.
    expect(await webhookCount()).toBe(before);
    const own = `${base}/webhooks/twilio/${victim.ws.id}/status`;
    expect(await emu.sendTwilioWebhook(own, victim.authToken, params)).toBe(200);
    expect((await getMessage(t.db, victim.ws.id, m.id))?.status).toBe('failed');
  });

  it('STOP on a workspace number suppresses in that workspace only', async () => {
    const own = await ownAccounts('stopper');
    const other = await ownAccounts('bystander');
    for (const ws of [own.ws, other.ws]) {
      const c = await addCustomer(t.db, ws.id, { phone: '+15554000003' });
      await createSender({ db: t.db, config, now: () => NOON_NY }).send(smsRequest(ws.id, c));
    }
    const url = `${base}/webhooks/twilio/${own.ws.id}/inbound`;
    const params = { MessageSid: 'SMstop1', From: '+15554000003', To: '+15550003333', Body: 'STOP' };
    expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, params)).toBe(401);
    expect(await getSuppressionReason(t.db, own.ws.id, 'sms', '+15554000003')).toBeNull();
    expect(await emu.sendTwilioWebhook(url, own.authToken, params)).toBe(200);
    expect(await getSuppressionReason(t.db, own.ws.id, 'sms', '+15554000003')).toBe('stop');
    expect(await getSuppressionReason(t.db, other.ws.id, 'sms', '+15554000003')).toBeNull();
  });

  it('answers 404 for a workspace without its own account, recording nothing', async () => {
    const plain = await seedWorkspace(t.db);
    const before = await webhookCount();
    for (const path of [
      `twilio/${plain.id}/status`,
      `twilio/${plain.id}/inbound`,
      `resend/${plain.id}`,
      'twilio/not-a-uuid/status',
    ]) {
      const res = await fetch(`${base}/webhooks/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
        body: 'MessageSid=SM1&MessageStatus=delivered',
      });
      expect([path, res.status]).toEqual([path, 404]);
      expect((await res.json()).code).toBe('webhook_not_configured');
    }
    expect(await webhookCount()).toBe(before);
  });
});

describe('Resend webhooks of a workspace with its own account', () => {
  it('verifies with the stored signing secret; a wrong secret is 401 and records nothing', async () => {
    const own = await ownAccounts('resender');
    const c = await addCustomer(t.db, own.ws.id, { email: 'hooked@resender.test' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(emailRequest(own.ws.id, c));
    const m = (await getMessage(t.db, own.ws.id, res.messageId!))!;
    const sent = emu.requests.find((r) => r.path === '/emails' && r.body.includes('hooked@resender.test'));
    expect(sent?.headers.authorization).toBe('Bearer re_resender_key');
    expect(m.fromAddress).toContain('<hi@resender.test>');

    const url = `${base}/webhooks/resend/${own.ws.id}`;
    const event = {
      type: 'email.bounced',
      data: { email_id: m.providerMessageId, bounce: { type: 'Permanent' } },
    };
    const before = await webhookCount();
    expect(await emu.sendResendWebhook(url, config.resendWebhookSecret!, event)).toBe(401);
    expect(await emu.sendResendWebhook(url, own.webhookSecret, event, { tamper: true })).toBe(401);
    expect(await webhookCount()).toBe(before);
    expect((await getMessage(t.db, own.ws.id, m.id))?.status).toBe('sent');

    expect(await emu.sendResendWebhook(url, own.webhookSecret, event)).toBe(200);
    expect((await getMessage(t.db, own.ws.id, m.id))?.status).toBe('bounced');
    expect(await getSuppressionReason(t.db, own.ws.id, 'email', 'hooked@resender.test')).toBe('hard_bounce');
  });

  it("a test send's bounce is recorded but suppresses no one", async () => {
    const own = await ownAccounts('tester');
    const c = await addCustomer(t.db, own.ws.id, { email: 'customer@tester.test' });
    const sent = await sendTestMessage(
      { db: t.db, config },
      {
        workspace: { id: own.ws.id, name: own.ws.name, settings: WorkspaceSettings.parse({}) },
        customer: { id: c.id, email: c.email, firstName: c.firstName, timeZone: c.timezone },
        order: null,
        content: { channel: 'email', subject: 'Hi', preheader: '', body: 'Hello' },
        to: 'customer@tester.test',
      },
    );
    expect(sent).toMatchObject({ provider: 'resend', status: 'sent' });
    const m = (await getMessage(t.db, own.ws.id, sent.messageId))!;
    const event = {
      type: 'email.bounced',
      data: { email_id: m.providerMessageId, bounce: { type: 'Permanent' } },
    };
    expect(
      await emu.sendResendWebhook(`${base}/webhooks/resend/${own.ws.id}`, own.webhookSecret, event),
    ).toBe(200);
    expect((await getMessage(t.db, own.ws.id, m.id))?.status).toBe('bounced');
    expect(await getSuppressionReason(t.db, own.ws.id, 'email', 'customer@tester.test')).toBeNull();
  });

  it('the environment path keeps working for workspaces without their own account', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'env@example.com' });
    const res = await createSender({ db: t.db, config, now: () => NOON_NY }).send(emailRequest(ws.id, c));
    const m = (await getMessage(t.db, ws.id, res.messageId!))!;
    const event = { type: 'email.delivered', data: { email_id: m.providerMessageId } };
    expect(await emu.sendResendWebhook(`${base}/webhooks/resend`, config.resendWebhookSecret!, event)).toBe(
      200,
    );
    expect((await getMessage(t.db, ws.id, m.id))?.status).toBe('delivered');
  });
});
