import { createSender } from '@hourglass/channels';
import { addSuppression, type Customer, getCustomer } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, emailRequest, testConfig } from '../channels/helpers';
import { type Emulator, emulatorPolicy, startEmulator } from '../emulator/server';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// POST /v1/test-send: renders a node's content for a real customer and sends it to a tester,
// through the workspace's providers (outbox here, the real SDKs against the emulator for the
// workspace with its own settings), marked as a test and kept out of caps and suppressions.

let h: Harness;
let emu: Emulator;
let a: Awaited<ReturnType<typeof seedTenant>>; // outbox (no provider anywhere)
let b: Awaited<ReturnType<typeof seedTenant>>; // its own Resend and Twilio accounts (emulator)
let ada: Customer;
let bea: Customer;
const config = testConfig();
const SID = `AC${'0123456789abcdef'.repeat(2)}`;

beforeAll(async () => {
  emu = await startEmulator();
  // The emulator is a local service: only the allow-list lets provider calls reach it.
  config.outbound = emulatorPolicy(emu.url);
  h = await harness('api_test_send', { channels: config });
  a = await seedTenant(h.t.db, 'Send A');
  b = await seedTenant(h.t.db, 'Send B');
  ada = await addCustomer(h.t.db, a.workspace.id);
  bea = await addCustomer(h.t.db, b.workspace.id, { firstName: 'Bea', email: 'bea@example.com' });
  const put = await h.app.inject(
    withKey(b.keys.admin, {
      method: 'PUT',
      url: '/v1/workspace/channels',
      payload: {
        email: {
          apiKey: 're_workspace_b_key_123456',
          from: 'B Shop <hello@b-shop.test>',
          replyTo: 'care@b-shop.test',
          baseUrl: emu.url,
        },
        sms: { accountSid: SID, authToken: 'b-twilio-token-123456', from: '+15550001111', baseUrl: emu.url },
      },
    }),
  );
  expect(put.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});

const email = (over: Record<string, unknown> = {}) => ({
  channel: 'email',
  subject: 'Hi {{ customer.firstName }}',
  body: 'Thanks for your order, {{ customer.firstName }}.',
  ...over,
});
const sms = (text = 'Hi {{ customer.firstName }}, your order shipped') => ({ channel: 'sms', text });
const testSend = (key: string, payload: object) =>
  h.app.inject(withKey(key, { method: 'POST', url: '/v1/test-send', payload }));
const messageCount = async (workspaceId: string) =>
  (await h.t.pool.query('select id from messages where workspace_id = $1', [workspaceId])).rowCount;

describe('POST /v1/test-send', () => {
  it('sends an email through the outbox, marked as a test and listed in the message log', async () => {
    const res = await testSend(a.keys.write, {
      customerId: ada.id,
      content: email(),
      to: 'tester@example.com',
    });
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({
      channel: 'email',
      to: 'tester@example.com',
      provider: 'outbox',
      status: 'sent',
    });
    const view = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: `/v1/messages/${out.messageId}` }))
    ).json();
    expect(view).toMatchObject({
      subject: '[Test] Hi Ada',
      toAddress: 'tester@example.com',
      stepId: 'test-send',
      test: true,
      customerId: null,
      customerLabel: null,
      runId: null,
      journeyId: null,
      stepLabel: null,
    });
    expect(view.bodyHtml).toContain('Thanks for your order, Ada.');
    // A real token would let the tester unsubscribe the address they test with.
    expect(view.bodyText).not.toContain('token=');
    const log = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: '/v1/messages?status=outbox' }))
    ).json();
    expect(log.find((m: { id: string }) => m.id === out.messageId)?.subject).toBe('[Test] Hi Ada');
  });

  it("is never in the customer's message history: a test, to the tester, of no customer", async () => {
    const res = await testSend(a.keys.write, {
      customerId: ada.id,
      content: sms(),
      to: '+15550009999',
    });
    expect(res.statusCode).toBe(200);
    const { messageId } = res.json();
    const get = async (url: string) =>
      (await h.app.inject(withKey(a.keys.read, { method: 'GET', url }))).json() as {
        id: string;
        test: boolean;
        customerId: string | null;
        toAddress: string;
      }[];
    // The profile's "All messages to this customer" is the log filtered by customer.
    expect((await get(`/v1/messages?customerId=${ada.id}`)).map((m) => m.id)).not.toContain(messageId);
    const logged = (await get('/v1/messages')).find((m) => m.id === messageId);
    expect(logged).toMatchObject({ test: true, customerId: null, toAddress: '+15550009999' });
    const { rows } = await h.t.pool.query('select customer_id, test from messages where id = $1', [
      messageId,
    ]);
    expect(rows).toEqual([{ customer_id: null, test: true }]);
    // The database refuses a message that is neither a test nor any customer's.
    await expect(
      h.t.pool.query(
        "insert into messages (workspace_id, channel, provider, idempotency_key, to_address) values ($1, 'sms', 'outbox', 'k-no-customer', '+1')",
        [a.workspace.id],
      ),
    ).rejects.toThrow(/messages_customer_check/);
  });

  it('sends email and SMS with the real SDKs through the workspace-configured providers', async () => {
    const mail = await testSend(b.keys.write, {
      customerId: bea.id,
      content: email(),
      to: 'qa@b-shop.test',
    });
    expect(mail.statusCode).toBe(200);
    expect(mail.json()).toMatchObject({ provider: 'resend', status: 'sent', to: 'qa@b-shop.test' });
    const sentMail = emu.deliveries.find((d) => d.provider === 'resend' && d.to === 'qa@b-shop.test');
    expect(sentMail?.subject).toBe('[Test] Hi Bea');
    const mailReq = emu.requests.find((r) => r.path === '/emails' && r.body.includes('qa@b-shop.test'));
    expect(mailReq?.headers.authorization).toBe('Bearer re_workspace_b_key_123456');
    expect(JSON.parse(mailReq!.body)).toMatchObject({
      from: 'Send B <hello@b-shop.test>',
      reply_to: 'care@b-shop.test',
    });

    const text = await testSend(b.keys.write, { customerId: bea.id, content: sms(), to: '+15557654321' });
    expect(text.statusCode).toBe(200);
    expect(text.json()).toMatchObject({ channel: 'sms', provider: 'twilio', status: 'sent' });
    const sentSms = emu.deliveries.find((d) => d.provider === 'twilio' && d.to === '+15557654321');
    expect(sentSms?.body).toMatch(/^\[Test\] Hi Bea, your order shipped/);
    const smsReq = emu.requests.find((r) => r.path.includes(`/Accounts/${SID}/Messages.json`));
    const form = new URLSearchParams(smsReq!.body);
    expect(form.get('StatusCallback')).toBe(`${config.publicUrl}/webhooks/twilio/${b.workspace.id}/status`);
    expect(form.get('From')).toBe('+15550001111');
  });

  it('does not count toward frequency caps, nor read or change consent and suppressions', async () => {
    const c = await addCustomer(h.t.db, a.workspace.id, {
      email: 'optedout@example.com',
      consent: { email: 'unsubscribed', sms: 'subscribed' },
    });
    await addSuppression(h.t.db, a.workspace.id, {
      channel: 'email',
      address: 'optedout@example.com',
      reason: 'unsubscribed',
      source: 'test',
    });
    const res = await testSend(a.keys.write, {
      customerId: c.id,
      content: email(),
      to: 'optedout@example.com',
    });
    expect(res.statusCode).toBe(200);
    expect((await getCustomer(h.t.db, a.workspace.id, c.id))?.consent).toEqual(c.consent);
    const { rows } = await h.t.pool.query(
      'select address, reason from suppressions where workspace_id = $1',
      [a.workspace.id],
    );
    expect(rows).toEqual([{ address: 'optedout@example.com', reason: 'unsubscribed' }]);

    // A customer who just got a test is not capped: the next real marketing email goes out.
    const fresh = await addCustomer(h.t.db, a.workspace.id, { email: 'capped@example.com' });
    expect(
      (await testSend(a.keys.write, { customerId: fresh.id, content: email(), to: 'qa@example.com' }))
        .statusCode,
    ).toBe(200);
    const real = await createSender({ db: h.t.db, config }).send(emailRequest(a.workspace.id, fresh));
    expect(real.status).toBe('sent');
  });

  it('answers 400 with the field for a `to` that does not fit the channel', async () => {
    for (const [content, to] of [
      [email(), 'not-an-email'],
      [email(), '+15551234567'],
      [sms(), 'tester@example.com'],
      [sms(), '5551234567'],
    ] as const) {
      const res = await testSend(a.keys.write, { customerId: ada.id, content, to });
      expect([to, res.statusCode, res.json()]).toMatchObject([
        to,
        400,
        { code: 'invalid_request', field: 'body.to' },
      ]);
    }
    const missing = await testSend(a.keys.write, { customerId: ada.id, content: email() });
    expect(missing.json()).toMatchObject({ code: 'invalid_request', field: 'body.to' });
  });

  it('answers 422 with the template error and records nothing', async () => {
    const before = await messageCount(a.workspace.id);
    const res = await testSend(a.keys.write, {
      customerId: ada.id,
      content: email({ subject: 'Hi {{ customer.nickname }}' }),
      to: 'tester@example.com',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'render_failed', field: 'content.subject' });
    expect(res.json().message).toContain('nickname');
    const bad = await testSend(a.keys.write, {
      customerId: ada.id,
      content: sms('{{ order.total | nosuchfilter }}'),
      to: '+15557654321',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'render_failed', field: 'content.text' });
    expect(await messageCount(a.workspace.id)).toBe(before);
  });

  it("answers 502 with the provider's status and code (never its words) when it refuses, and logs the failure", async () => {
    emu.invalidRecipients.add('+15559990000');
    const res = await testSend(b.keys.write, { customerId: bea.id, content: sms(), to: '+15559990000' });
    expect(res.statusCode).toBe(502);
    const body = res.json();
    expect(body).toMatchObject({
      code: 'provider_error',
      provider: 'twilio',
      reason: 'invalid_recipient',
      providerCode: '21211',
      providerStatus: 400,
    });
    // Our own words: a remote body is never repeated to API clients.
    expect(body.message).toBe("The 'To' number is not a valid phone number");
    const view = (
      await h.app.inject(withKey(b.keys.read, { method: 'GET', url: `/v1/messages/${body.messageId}` }))
    ).json();
    expect(view).toMatchObject({ status: 'failed', stepId: 'test-send', toAddress: '+15559990000' });
    expect(view.error).toMatchObject({ providerCode: '21211' });
  });

  it('is forbidden to viewers and read-only keys', async () => {
    const viewer = await login(h.app, a.viewer.email);
    const payload = { customerId: ada.id, content: email(), to: 'tester@example.com' };
    const asViewer = await h.app.inject({ method: 'POST', url: '/v1/test-send', headers: viewer, payload });
    expect(asViewer.statusCode).toBe(403);
    expect(asViewer.json().code).toBe('forbidden');
    expect((await testSend(a.keys.read, payload)).statusCode).toBe(403);
    const owner = await login(h.app, a.owner.email);
    const asOwner = await h.app.inject({ method: 'POST', url: '/v1/test-send', headers: owner, payload });
    expect(asOwner.statusCode).toBe(200);
  });

  it("cannot render another workspace's customer, and sends nothing", async () => {
    const before = { a: await messageCount(a.workspace.id), b: await messageCount(b.workspace.id) };
    const sent = emu.deliveries.length;
    const res = await testSend(a.keys.all, {
      customerId: bea.id,
      content: email(),
      to: 'tester@example.com',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', field: 'customerId' });
    const viaB = await testSend(b.keys.all, { customerId: ada.id, content: sms(), to: '+15557654321' });
    expect(viaB.statusCode).toBe(404);
    expect({ a: await messageCount(a.workspace.id), b: await messageCount(b.workspace.id) }).toEqual(before);
    expect(emu.deliveries.length).toBe(sent);
  });

  it('renders the sample outputs of earlier steps, as the preview does', async () => {
    const res = await testSend(a.keys.write, {
      customerId: ada.id,
      content: email({ subject: 'Your code {{ steps.discount.code }}' }),
      to: 'tester@example.com',
      steps: { discount: { code: 'SAMPLE-CODE' } },
    });
    expect(res.statusCode).toBe(200);
    const view = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: `/v1/messages/${res.json().messageId}` }))
    ).json();
    expect(view.subject).toBe('[Test] Your code SAMPLE-CODE');
  });
});
