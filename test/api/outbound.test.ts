import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Customer } from '@hourglass/db';
import { parseAllowList } from '@hourglass/outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, testConfig } from '../channels/helpers';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// Server-initiated HTTP: provider base URLs go through the one outbound client, which refuses
// internal addresses (at save time when the URL names one, at connect time when a name resolves
// to one), follows no redirects and never shows a remote body to API clients.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let ada: Customer;
// An internal service that must stay unreachable, or (when allow-listed) answers with secrets.
let hits = 0;
let port = 0;
const internal = http.createServer((req, res) => {
  hits++;
  req.resume();
  res.writeHead(422, { 'content-type': 'application/json' }).end(
    // Resend's documented error shape (Twilio reads `code` and `message` from the same body).
    JSON.stringify({
      statusCode: 422,
      name: 'validation_error',
      message: 'internal-secret: db password hunter2',
      code: 21211,
    }),
  );
});
// Another internal service, not allow-listed: no connection may ever reach it.
let hiddenConnections = 0;
const hidden = http.createServer((_req, res) => res.end('hidden'));
hidden.on('connection', () => hiddenConnections++);
const config = testConfig();

beforeAll(async () => {
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
  port = (internal.address() as AddressInfo).port;
  await new Promise<void>((r) => hidden.listen(0, '127.0.0.1', r));
  // Only 127.0.0.1:<port> is allow-listed (as an emulator would be); `localhost` is not.
  config.outbound = { allow: parseAllowList(`127.0.0.1:${port}`) };
  h = await harness('api_outbound', { channels: config });
  a = await seedTenant(h.t.db, 'Outbound');
  ada = await addCustomer(h.t.db, a.workspace.id, { firstName: 'Ada' });
});
afterAll(async () => {
  await h?.close();
  await new Promise<void>((r) => internal.close(() => r()));
  await new Promise<void>((r) => hidden.close(() => r()));
});

const putChannels = (payload: object) =>
  h.app.inject(withKey(a.keys.admin, { method: 'PUT', url: '/v1/workspace/channels', payload }));
const testSend = (payload: object) =>
  h.app.inject(withKey(a.keys.write, { method: 'POST', url: '/v1/test-send', payload }));
const email = { channel: 'email', subject: 'Hi', body: 'Hello' };

describe('provider base URLs', () => {
  it('refuses internal addresses and plain http when the settings are saved', async () => {
    const cases: [object, string, string][] = [
      [
        { email: { apiKey: 're_key_123456789', baseUrl: 'http://127.0.0.1:5432/' } },
        'outbound.insecure_scheme',
        'body.email.baseUrl',
      ],
      [
        { email: { apiKey: 're_key_123456789', baseUrl: 'https://169.254.169.254/latest' } },
        'outbound.blocked_address',
        'body.email.baseUrl',
      ],
      [{ email: { baseUrl: 'https://[::1]:8233/' } }, 'outbound.blocked_address', 'body.email.baseUrl'],
      [{ sms: { baseUrl: 'https://10.0.0.5/' } }, 'outbound.blocked_address', 'body.sms.baseUrl'],
      [{ sms: { baseUrl: 'https://user:pw@api.twilio.com/' } }, 'outbound.invalid_url', 'body.sms.baseUrl'],
    ];
    for (const [payload, code, field] of cases) {
      const res = await putChannels(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
    }
    const view = (
      await h.app.inject(withKey(a.keys.all, { method: 'GET', url: '/v1/workspace/channels' }))
    ).json();
    expect(view.email.baseUrl).toBeNull();
    expect(view.sms.baseUrl).toBeNull();
  });

  it('refuses a host name that resolves to an internal address when the test send connects', async () => {
    const put = await putChannels({
      email: {
        apiKey: 're_key_123456789',
        from: 'Shop <shop@example.com>',
        baseUrl: `https://localhost:${(hidden.address() as AddressInfo).port}`,
      },
    });
    expect(put.statusCode).toBe(200); // a name: what it resolves to is checked on every connection
    const res = await testSend({ customerId: ada.id, content: email, to: 'tester@example.com' });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'provider_error', reason: 'outbound.blocked_address' });
    expect(hiddenConnections).toBe(0);
  });

  it('never echoes a remote body, even from an allowed destination', async () => {
    const put = await putChannels({
      email: {
        apiKey: 're_key_123456789',
        from: 'Shop <shop@example.com>',
        baseUrl: `http://127.0.0.1:${port}`,
      },
      sms: {
        accountSid: `AC${'0'.repeat(32)}`,
        authToken: 'tok_123456789',
        from: '+15550001111',
        baseUrl: `http://127.0.0.1:${port}`,
      },
    });
    expect(put.statusCode).toBe(200);
    for (const content of [email, { channel: 'sms', text: 'Hi' }]) {
      const before = hits;
      const res = await testSend({
        customerId: ada.id,
        content,
        to: content.channel === 'sms' ? '+15550002222' : 'tester@example.com',
      });
      expect(hits).toBeGreaterThan(before); // it did reach the allowed service
      expect(res.statusCode).toBe(502);
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toContain('internal-secret');
      expect(res.json(), `${content.channel} ${res.body}`).toMatchObject({
        code: 'provider_error',
        providerStatus: 422,
      });
      const log = await h.t.pool.query(
        `select status_history::text as history, error::text as error from messages where id = $1`,
        [res.json().messageId],
      );
      expect(JSON.stringify(log.rows)).not.toContain('hunter2');
    }
  });
});

describe('stored provider secrets', () => {
  it('shows the last characters of a secret to admins only', async () => {
    await putChannels({ email: { apiKey: 're_abcdefghijkl_WXYZ' } });
    const owner = (
      await h.app.inject(withKey(a.keys.all, { method: 'GET', url: '/v1/workspace/channels' }))
    ).json();
    expect(owner.email.apiKey).toEqual({ set: true, hint: '••••WXYZ' });
    const reader = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: '/v1/workspace/channels' }))
    ).json();
    expect(reader.email.apiKey).toEqual({ set: true, hint: null });
    expect(reader.sms.authToken.hint).toBeNull();
    const viewer = await login(h.app, a.viewer.email);
    const seen = await h.app.inject({ method: 'GET', url: '/v1/workspace/channels', headers: viewer });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('WXYZ');
  });
});
