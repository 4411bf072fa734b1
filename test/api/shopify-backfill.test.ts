import { countPendingStoreWebhooks } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from '../fakes/shopify/admin-api';
import { shopifySender } from '../fakes/shopify/sender';
import { type Harness, harness, seedTenant, withKey } from './harness';

// POST /v1/workspace/shopify/backfill against a fake Admin GraphQL API holding 10,000 orders: cursor
// pagination, Shopify's cost-based throttling (THROTTLED answers waited out), progress, every order
// and customer imported once (a second run adds nothing), and no journey started by history.

let h: Harness;
let fake: FakeShopifyAdmin;
let a: Awaited<ReturnType<typeof seedTenant>>;
const TOKEN = 'shpat_backfill_token';
const DAY = 24 * 60 * 60 * 1000;
const ORDERS_IN_WINDOW = 10_000;
const CUSTOMERS = 600;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin({ shopName: 'Backfill Shop', tokens: [TOKEN] });
  const now = Date.now();
  for (let i = 0; i < CUSTOMERS; i++)
    fake.customers.push({
      id: `gid://shopify/Customer/${5_000_000 + i}`,
      firstName: `C${i}`,
      lastName: 'Imported',
      updatedAt: new Date(now - 40 * DAY).toISOString(),
      tags: i % 2 ? ['vip'] : [],
      defaultEmailAddress: {
        emailAddress: `c${i}@example.com`,
        marketingState: i % 3 ? 'SUBSCRIBED' : 'UNSUBSCRIBED',
      },
      defaultPhoneNumber: null,
    });
  const order = (i: number, createdAt: number) => ({
    id: `gid://shopify/Order/${7_000_000 + i}`,
    name: `#${1000 + i}`,
    createdAt: new Date(createdAt).toISOString(),
    processedAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(createdAt).toISOString(),
    cancelledAt: i % 500 === 0 ? new Date(createdAt + 1000).toISOString() : null,
    statusPageUrl: `https://backfill-shop.myshopify.com/1/orders/${i}/authenticate?key=k`,
    email: `c${i % CUSTOMERS}@example.com`,
    phone: null,
    currencyCode: 'EUR',
    totalPriceSet: { shopMoney: { amount: `${(i % 300) + 10}.50`, currencyCode: 'EUR' } },
    discountCodes: [],
    displayFinancialStatus: 'PAID',
    customer: { id: `gid://shopify/Customer/${5_000_000 + (i % CUSTOMERS)}` },
    lineItems: {
      nodes: [
        {
          title: 'Tea',
          sku: `TEA-${i % 7}`,
          quantity: 1,
          variantTitle: null,
          originalUnitPriceSet: { shopMoney: { amount: '10.50' } },
          variant: { id: 'gid://shopify/ProductVariant/1' },
          product: { id: `gid://shopify/Product/${i % 7}` },
        },
      ],
    },
  });
  // 50 orders older than the window first, then the 10,000 of the last 30 days.
  for (let i = 0; i < 50; i++) fake.orders.push(order(20_000 + i, now - 400 * DAY + i * 1000));
  for (let i = 0; i < ORDERS_IN_WINDOW; i++) fake.orders.push(order(i, now - 30 * DAY + i * 60_000));
  // A fast bucket, emptied at the start: the import meets real THROTTLED answers and waits them out.
  fake.bucket.maximumAvailable = 1000;
  fake.bucket.restoreRate = 10_000;
  fake.pageCost = 400;
  h = await harness('api_shopify_backfill', {
    channels: testConfig(undefined, { outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] } }),
    shopify: { apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 10_000, reconcileMinutes: 0 },
  });
  a = await seedTenant(h.t.db, 'Backfill A');
  const res = await h.app.inject(
    withKey(a.keys.admin, {
      method: 'PUT',
      url: '/v1/workspace/shopify',
      payload: { shopDomain: 'backfill-shop.myshopify.com', clientSecret: 'shpss_x', accessToken: TOKEN },
    }),
  );
  expect(res.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const start = (days?: number) =>
  h.app.inject(
    withKey(a.keys.admin, {
      method: 'POST',
      url: '/v1/workspace/shopify/backfill',
      payload: days ? { days } : {},
    }),
  );
const progress = async () =>
  (await h.app.inject(withKey(a.keys.read, { method: 'GET', url: '/v1/workspace/shopify/backfill' }))).json()
    .sync;
async function finished(timeoutMs = 240_000) {
  const until = Date.now() + timeoutMs;
  const seen: number[] = [];
  for (;;) {
    const sync = await progress();
    seen.push(sync.ordersImported);
    if (sync.status !== 'running') return { sync, seen };
    if (Date.now() > until) throw new Error(`backfill still running: ${JSON.stringify(sync)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const q = async (sql: string) => (await h.t.pool.query(sql, [a.workspace.id])).rows;

describe('Shopify backfill', () => {
  it('imports every customer and the 10,000 orders of the window once, through throttling, routing none', async () => {
    expect(await progress()).toBeNull();
    // Another app shares the store's limit: the bucket is emptied now and then during the import.
    fake.drain();
    const drainer = setInterval(() => fake.drain(), 1500);
    const res = await start(31);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'backfill', status: 'running', stage: 'customers' });
    const again = await start(31);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('shopify.sync_running');

    const { sync, seen } = await finished().finally(() => clearInterval(drainer));
    expect(sync).toMatchObject({
      status: 'done',
      error: null,
      customersImported: CUSTOMERS,
      ordersImported: ORDERS_IN_WINDOW,
      ordersTotal: ORDERS_IN_WINDOW,
    });
    expect(sync.throttled).toBeGreaterThan(0);
    expect(fake.throttledAnswers).toBe(sync.throttled);
    // The progress bar moved through the import, not only at its end.
    expect(new Set(seen).size).toBeGreaterThan(2);

    expect(
      await q(
        `select count(*)::int as n, count(distinct id)::int as d from events where workspace_id = $1 and type = 'order.placed'`,
      ),
    ).toEqual([{ n: ORDERS_IN_WINDOW, d: ORDERS_IN_WINDOW }]);
    expect(await q(`select count(*)::int as n from orders where workspace_id = $1`)).toEqual([
      { n: ORDERS_IN_WINDOW },
    ]);
    expect(
      await q(`select count(*)::int as n from orders where workspace_id = $1 and status = 'cancelled'`),
    ).toEqual([{ n: 20 }]);
    expect(await q(`select count(*)::int as n from customers where workspace_id = $1`)).toEqual([
      { n: CUSTOMERS },
    ]);
    // History feeds stats but starts nothing: no event of the import is waiting to be routed.
    expect(await q(`select count(*)::int as n from event_outbox where workspace_id = $1`)).toEqual([
      { n: 0 },
    ]);
    const [c0] = await q(
      `select consent, orders_count, total_spent::text from customers where workspace_id = $1 and external_id = '5000000'`,
    );
    expect(c0).toMatchObject({ consent: { email: 'unsubscribed' }, orders_count: expect.any(Number) });
    expect(c0.orders_count).toBeGreaterThan(0);
  }, 300_000);

  it('a second run imports nothing new, and a live webhook for an imported order adds nothing', async () => {
    const before = await q(`select count(*)::int as n from events where workspace_id = $1`);
    expect((await start(31)).statusCode).toBe(202);
    const { sync } = await finished();
    expect(sync).toMatchObject({ status: 'done', ordersImported: 0, customersImported: 0 });
    expect(await q(`select count(*)::int as n from events where workspace_id = $1`)).toEqual(before);
    const send = shopifySender(h.app, {
      workspaceId: a.workspace.id,
      shop: 'backfill-shop.myshopify.com',
      secret: 'shpss_x',
    });
    const live = await send({
      topic: 'orders/create',
      body: { id: 7_000_001, email: 'c1@example.com', total_price: '11.50', currency: 'EUR', line_items: [] },
    });
    expect(live.json()).toEqual({ status: 'accepted' });
    while (await countPendingStoreWebhooks(h.t.db, a.workspace.id))
      await new Promise((r) => setTimeout(r, 20));
    expect(await q(`select count(*)::int as n from events where workspace_id = $1`)).toEqual(before);
    expect(await q(`select count(*)::int as n from event_outbox where workspace_id = $1`)).toEqual([
      { n: 0 },
    ]);
  }, 300_000);

  it('refuses without a connection, and a days value out of range names the field', async () => {
    const bad = await h.app.inject(
      withKey(a.keys.admin, { method: 'POST', url: '/v1/workspace/shopify/backfill', payload: { days: 0 } }),
    );
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'body.days' });
    const other = await seedTenant(h.t.db, 'Backfill B');
    const res = await h.app.inject(
      withKey(other.keys.admin, { method: 'POST', url: '/v1/workspace/shopify/backfill', payload: {} }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('shopify.not_connected');
  });
});
