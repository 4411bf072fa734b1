import { countPendingStoreWebhooks } from '@hourglass/db';
import { startShopifyReconciler } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from '../fakes/shopify/admin-api';
import { shopifySender } from '../fakes/shopify/sender';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Reconciliation: Shopify does not guarantee webhook delivery, so orders and fulfilments updated since
// the last sync are read back through the Admin API and fed through the webhook path. What webhooks
// delivered is a duplicate, an older fulfilment status is stale, what was missed is stored and routed
// (older news quietly), and the periodic reconciler finds a missed order by itself.

const SHOP = 'reconcile-shop.myshopify.com';
const TOKEN = 'shpat_reconcile';
const SECRET = 'shpss_reconcile';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
let h: Harness;
let fake: FakeShopifyAdmin;
let a: Awaited<ReturnType<typeof seedTenant>>;
const config = () => testConfig(undefined, { outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] } });
const shopify = () => ({ apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 5000, reconcileMinutes: 0 });

const iso = (ms: number) => new Date(ms).toISOString();
const order = (id: number, createdAt: number, updatedAt: number, fulfillments: object[] = []) => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  createdAt: iso(createdAt),
  processedAt: iso(createdAt),
  updatedAt: iso(updatedAt),
  cancelledAt: null,
  statusPageUrl: null,
  email: `buyer${id}@example.com`,
  phone: null,
  currencyCode: 'USD',
  totalPriceSet: { shopMoney: { amount: '20.00', currencyCode: 'USD' } },
  discountCodes: [],
  displayFinancialStatus: 'PAID',
  customer: { id: `gid://shopify/Customer/${id}` },
  lineItems: { nodes: [] },
  fulfillments,
});
const fulfilment = (id: number, displayStatus: string, updatedAt: number) => ({
  id: `gid://shopify/Fulfillment/${id}`,
  status: 'SUCCESS',
  displayStatus,
  createdAt: iso(updatedAt - HOUR),
  updatedAt: iso(updatedAt),
  trackingInfo: [{ number: `TRK${id}`, url: `https://carrier.example/t/${id}`, company: 'UPS' }],
});

beforeAll(async () => {
  fake = await startFakeShopifyAdmin({ shopName: 'Reconcile Shop', tokens: [TOKEN] });
  fake.bucket.restoreRate = 100_000;
  h = await harness('api_shopify_reconcile', { channels: config(), shopify: shopify() });
  a = await seedTenant(h.t.db, 'Reconcile A');
  await h.app.inject(
    withKey(a.keys.admin, {
      method: 'PUT',
      url: '/v1/workspace/shopify',
      payload: { shopDomain: SHOP, clientSecret: SECRET, accessToken: TOKEN },
    }),
  );
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const q = async (sql: string) => (await h.t.pool.query(sql, [a.workspace.id])).rows;
const routed = () =>
  q(`select event_id from event_outbox where workspace_id = $1 order by event_id`).then((r) =>
    r.map((x) => x.event_id),
  );
/** Waits until the inbox applied every accepted webhook. */
async function settled() {
  while (await countPendingStoreWebhooks(h.t.db, a.workspace.id)) await new Promise((r) => setTimeout(r, 20));
}
async function reconcile() {
  const res = await h.app.inject(
    withKey(a.keys.admin, { method: 'POST', url: '/v1/workspace/shopify/reconcile' }),
  );
  expect(res.statusCode, res.body).toBe(202);
  for (;;) {
    const { sync } = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: '/v1/workspace/shopify/backfill' }))
    ).json();
    if (sync.status !== 'running') return sync;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Shopify reconciliation', () => {
  it('stores what webhooks missed, routes only recent news, and lets no older status win', async () => {
    const now = Date.now();
    const send = shopifySender(h.app, { workspaceId: a.workspace.id, shop: SHOP, secret: SECRET });
    // Order 1 and its delivery came by webhook; the store still reports an older "in transit" for it.
    const webhookOrder = {
      id: 1,
      email: 'buyer1@example.com',
      customer: { id: 1 },
      total_price: '20.00',
      line_items: [],
    };
    expect((await send({ topic: 'orders/create', body: webhookOrder })).json()).toEqual({
      status: 'accepted',
    });
    await settled();
    const delivered = {
      id: 11,
      order_id: 1,
      status: 'success',
      shipment_status: 'delivered',
      updated_at: iso(now - HOUR),
    };
    expect((await send({ topic: 'fulfillments/update', body: delivered })).json()).toEqual({
      status: 'accepted',
    });
    await settled();
    await h.t.pool.query('delete from event_outbox where workspace_id = $1', [a.workspace.id]);

    fake.orders.push(
      order(1, now - 3 * HOUR, now - HOUR, [fulfilment(11, 'IN_TRANSIT', now - 2 * HOUR)]),
      // Order 2: placed an hour ago, its webhook never came.
      order(2, now - HOUR, now - HOUR),
      // Order 3: placed a month ago, delivered an hour ago; neither webhook came.
      order(3, now - 30 * DAY, now - HOUR, [fulfilment(33, 'DELIVERED', now - HOUR)]),
    );
    const sync = await reconcile();
    expect(sync).toMatchObject({ kind: 'reconcile', status: 'done', error: null });

    expect(await routed()).toEqual(['shopify:fulfillment:33:delivered', 'shopify:order:2:placed']);
    const events = await q(`select id from events where workspace_id = $1 order by id`);
    expect(events.map((e) => e.id)).toEqual([
      'shopify:fulfillment:11:delivered',
      'shopify:fulfillment:33:delivered',
      'shopify:order:1:placed',
      'shopify:order:2:placed',
      'shopify:order:3:placed',
    ]);
    expect(
      await q(
        `select external_id, status, tracking_number from orders where workspace_id = $1 order by external_id`,
      ),
    ).toEqual([
      { external_id: '1', status: 'delivered', tracking_number: null },
      { external_id: '2', status: 'placed', tracking_number: null },
      { external_id: '3', status: 'delivered', tracking_number: 'TRK33' },
    ]);
    expect(
      await q(
        `select outcome from store_webhooks where workspace_id = $1 and webhook_id like 'import:fulfillment:11:%'`,
      ),
    ).toEqual([{ outcome: 'stale' }]);

    const again = await reconcile();
    expect(again).toMatchObject({ status: 'done', ordersImported: 0 });
    expect(await q(`select count(*)::int as n from events where workspace_id = $1`)).toEqual([{ n: 5 }]);
  });

  it('the periodic reconciler finds a missed order by itself', async () => {
    fake.orders.push(order(4, Date.now() - 60_000, Date.now() - 60_000));
    const reconciler = startShopifyReconciler({
      db: h.t.db,
      config: shopify(),
      outbound: config().outbound,
      secretKey: config().secretKey,
      intervalMs: 100,
      log: { warn: () => {} },
    });
    try {
      const until = Date.now() + 20_000;
      while (!(await routed()).includes('shopify:order:4:placed')) {
        if (Date.now() > until) throw new Error('order 4 was not reconciled');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await reconciler.stop();
    }
  });
});
