import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from '../fakes/shopify/admin-api';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// /v1/workspace/shopify: connect a store (secrets write-only, encrypted at rest), test the connection
// and register webhooks through the Admin API (a local fake of it, reached through the outbound
// client's allow-list), disconnect. Admins only; readers see whether secrets are set, never values.

let h: Harness;
let fake: FakeShopifyAdmin;
let a: Awaited<ReturnType<typeof seedTenant>>;
const SECRET = 'shpss_client_secret_0123456789abcdef';
const TOKEN = 'shpat_access_token_0123456789abcdef';
const connect = { shopDomain: 'Hourglass-Demo.myshopify.com', clientSecret: SECRET, accessToken: TOKEN };

beforeAll(async () => {
  fake = await startFakeShopifyAdmin({ shopName: 'Hourglass Demo', tokens: [TOKEN] });
  h = await harness('api_shopify_connect', {
    channels: testConfig(undefined, { outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] } }),
    shopify: { apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 3000, reconcileMinutes: 0 },
  });
  a = await seedTenant(h.t.db, 'Shop A');
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const call = (key: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  h.app.inject(withKey(key, { method, url: `/v1/workspace/shopify${url}`, ...(payload && { payload }) }));

describe('Shopify connection', () => {
  it('starts unconnected, with the webhook address and topics to subscribe', async () => {
    const res = await call(a.keys.read, 'GET', '');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      connected: false,
      shopDomain: null,
      shopName: null,
      clientSecretSet: false,
      accessTokenSet: false,
      lastTestedAt: null,
      webhooksRegisteredAt: null,
      webhookUrl: `http://hourglass.test/webhooks/shopify/${a.workspace.id}`,
      topics: [
        'orders/create',
        'orders/paid',
        'orders/cancelled',
        'fulfillments/create',
        'fulfillments/update',
        'refunds/create',
        'customers/create',
        'customers/update',
      ],
    });
    expect((await call(a.keys.admin, 'POST', '/test')).json()).toMatchObject({
      code: 'shopify.not_connected',
    });
  });

  it('refuses a domain that is not <name>.myshopify.com, and empty or spaced secrets, naming the field', async () => {
    for (const [body, field] of [
      [{ ...connect, shopDomain: 'shop.example.com' }, 'body.shopDomain'],
      [{ ...connect, shopDomain: 'evil.myshopify.com.attacker.test' }, 'body.shopDomain'],
      [{ ...connect, shopDomain: '127.0.0.1' }, 'body.shopDomain'],
      [{ ...connect, clientSecret: '' }, 'body.clientSecret'],
      [{ ...connect, accessToken: 'two words' }, 'body.accessToken'],
    ] as const) {
      const res = await call(a.keys.admin, 'PUT', '', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', field });
    }
  });

  it('only admins connect; the secrets are stored encrypted and never come back', async () => {
    expect((await call(a.keys.read, 'PUT', '', connect)).statusCode).toBe(403);
    const viewer = await login(h.app, a.viewer.email);
    const asViewer = await h.app.inject({
      method: 'PUT',
      url: '/v1/workspace/shopify',
      headers: viewer,
      payload: connect,
    });
    expect(asViewer.statusCode).toBe(403);

    const res = await call(a.keys.admin, 'PUT', '', connect);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      connected: true,
      shopDomain: 'hourglass-demo.myshopify.com',
      clientSecretSet: true,
      accessTokenSet: true,
      lastTestedAt: null,
    });
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain(TOKEN);
    const read = await call(a.keys.read, 'GET', '');
    expect(read.json()).toMatchObject({ connected: true, clientSecretSet: true });
    expect(read.body).not.toContain(TOKEN);
    const { rows } = await h.t.pool.query(
      "select secret_ciphertext from store_connections where workspace_id = $1 and platform = 'shopify'",
      [a.workspace.id],
    );
    expect(rows[0].secret_ciphertext).toMatch(/^v1\./);
    expect(rows[0].secret_ciphertext).not.toContain(SECRET);
    const audit = await h.t.pool.query(
      "select action, target, coalesce(details::text, '') as details from audit_log where workspace_id = $1 and action like 'workspace.shopify.%'",
      [a.workspace.id],
    );
    expect(audit.rows).toEqual([
      {
        action: 'workspace.shopify.connected',
        target: 'shopify:hourglass-demo.myshopify.com',
        details: '{}',
      },
    ]);
  });

  it('tests the connection through the Admin API (shop { name }) with the stored token', async () => {
    const res = await call(a.keys.admin, 'POST', '/test');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, shopName: 'Hourglass Demo' });
    const last = fake.requests.at(-1);
    expect(last).toMatchObject({ path: '/admin/api/2025-10/graphql.json', token: TOKEN });
    expect(last?.query).toContain('shop { name }');
    expect((await call(a.keys.read, 'GET', '')).json()).toMatchObject({
      shopName: 'Hourglass Demo',
      lastTestedAt: expect.any(String),
    });
  });

  it('registers each topic at the webhook address once, reporting the ones that already exist', async () => {
    const url = `http://hourglass.test/webhooks/shopify/${a.workspace.id}`;
    const first = await call(a.keys.admin, 'POST', '/webhooks');
    expect(first.statusCode).toBe(200);
    expect(first.json().topics.map((t: { status: string }) => t.status)).toEqual(Array(8).fill('registered'));
    expect(fake.subscriptions.map((s) => [s.topic, s.uri])).toEqual(
      [
        'ORDERS_CREATE',
        'ORDERS_PAID',
        'ORDERS_CANCELLED',
        'FULFILLMENTS_CREATE',
        'FULFILLMENTS_UPDATE',
        'REFUNDS_CREATE',
        'CUSTOMERS_CREATE',
        'CUSTOMERS_UPDATE',
      ].map((t) => [t, url]),
    );
    const again = await call(a.keys.admin, 'POST', '/webhooks');
    expect(again.json().topics.map((t: { status: string }) => t.status)).toEqual(Array(8).fill('exists'));
    expect(fake.subscriptions).toHaveLength(8);
    expect((await call(a.keys.read, 'GET', '')).json().webhooksRegisteredAt).toEqual(expect.any(String));
  });

  it('a token without a topic’s scope fails that topic only, with the reason', async () => {
    fake.refuseTopics.add('CUSTOMERS_CREATE');
    fake.subscriptions.length = 0;
    const res = await call(a.keys.admin, 'POST', '/webhooks');
    fake.refuseTopics.clear();
    const byTopic = Object.fromEntries(
      res.json().topics.map((t: { topic: string; status: string }) => [t.topic, t.status]),
    );
    expect(byTopic['customers/create']).toBe('failed');
    expect(byTopic['orders/create']).toBe('registered');
  });

  it('a token Shopify refuses is a 502 with a stable code and none of Shopify’s answer', async () => {
    await call(a.keys.admin, 'PUT', '', { ...connect, accessToken: 'shpat_revoked' });
    const res = await call(a.keys.admin, 'POST', '/test');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({ code: 'shopify.unauthorized', message: expect.any(String) });
    expect(res.body).not.toContain('Invalid API key');
    // Reconnecting forgets the earlier test.
    expect((await call(a.keys.read, 'GET', '')).json()).toMatchObject({ shopName: null, lastTestedAt: null });
  });

  it('disconnects (admins), after which webhooks are refused as not configured', async () => {
    expect((await call(a.keys.read, 'DELETE', '')).statusCode).toBe(403);
    expect((await call(a.keys.admin, 'DELETE', '')).json()).toEqual({ ok: true });
    expect((await call(a.keys.admin, 'DELETE', '')).statusCode).toBe(404);
    expect((await call(a.keys.read, 'GET', '')).json()).toMatchObject({
      connected: false,
      clientSecretSet: false,
    });
    const hook = await h.app.inject({
      method: 'POST',
      url: `/webhooks/shopify/${a.workspace.id}`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(hook.statusCode).toBe(404);
    expect(hook.json().code).toBe('webhook_not_configured');
  });
});

describe('Shopify API calls go through the outbound client', () => {
  it('refuses an internal address that is not allow-listed, without calling it', async () => {
    const strict = await harness('api_shopify_strict', {
      channels: testConfig(),
      shopify: { apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 3000, reconcileMinutes: 0 },
    });
    try {
      const t = await seedTenant(strict.t.db, 'Strict');
      const before = fake.requests.length;
      await strict.app.inject(
        withKey(t.keys.admin, { method: 'PUT', url: '/v1/workspace/shopify', payload: connect }),
      );
      const res = await strict.app.inject(
        withKey(t.keys.admin, { method: 'POST', url: '/v1/workspace/shopify/test' }),
      );
      expect(res.statusCode).toBe(502);
      expect(res.json().code).toBe('outbound.insecure_scheme');
      expect(fake.requests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });
});
