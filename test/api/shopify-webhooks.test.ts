import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { countPendingStoreWebhooks } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { shopifySender } from '../fakes/shopify/sender';
import { type Harness, harness, seedTenant, withKey } from './harness';

// POST /webhooks/shopify/:workspaceId with Shopify's documented sample bodies, signed as Shopify signs
// them: verified on the raw bytes before anything is read, each delivery id applied once, older
// fulfilment and customer updates never overwriting newer ones, and a storm of redeliveries storing
// exactly one event each.

const SHOP = 'hourglass-demo.myshopify.com';
const SECRET = 'shpss_client_secret_for_webhooks';
const fixture = (name: string): Record<string, unknown> =>
  // The samples' ids exceed 2^53: keep them as text, as the server does.
  JSON.parse(
    fs
      .readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), 'utf8')
      .replace(/(?<=[:[,]\s*)(\d{16,})(?=\s*[,\]}])/g, '"$1"'),
  );

const sign = (raw: string) => createHmac('sha256', SECRET).update(raw).digest('base64');

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let send: ReturnType<typeof shopifySender>;

beforeAll(async () => {
  h = await harness('api_shopify_webhooks', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Hooks A');
  const res = await h.app.inject(
    withKey(a.keys.admin, {
      method: 'PUT',
      url: '/v1/workspace/shopify',
      payload: { shopDomain: SHOP, clientSecret: SECRET, accessToken: 'shpat_x' },
    }),
  );
  expect(res.statusCode).toBe(200);
  send = shopifySender(h.app, { workspaceId: a.workspace.id, shop: SHOP, secret: SECRET });
});
afterAll(async () => h?.close());

const ws = () => a.workspace.id;
/** Waits until the inbox applied every accepted delivery (they are applied after the 200). */
async function settled() {
  const until = Date.now() + 30_000;
  while (await countPendingStoreWebhooks(h.t.db, ws())) {
    if (Date.now() > until) throw new Error('deliveries still pending');
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** Sends one delivery and waits until it was applied; answers its stored outcome. */
async function deliver(d: Parameters<typeof send>[0]) {
  const webhookId = d.webhookId ?? randomUUID();
  const res = await send({ ...d, webhookId });
  expect(res.json(), res.body).toEqual({ status: 'accepted' });
  await settled();
  const { rows } = await h.t.pool.query(
    'select outcome from store_webhooks where workspace_id = $1 and webhook_id = $2',
    [ws(), webhookId],
  );
  return rows[0]?.outcome as string;
}
const count = async (table: string, where = '') =>
  Number(
    (await h.t.pool.query(`select count(*)::int as n from ${table} where workspace_id = $1 ${where}`, [ws()]))
      .rows[0].n,
  );
const events = async (like: string) =>
  (
    await h.t.pool.query(
      'select id, type, properties from events where workspace_id = $1 and id like $2 order by occurred_at, id',
      [ws(), like],
    )
  ).rows;
const order = async (externalId: string) =>
  (
    await h.t.pool.query('select * from orders where workspace_id = $1 and external_id = $2', [
      ws(),
      externalId,
    ])
  ).rows[0];

describe('Shopify webhooks in', () => {
  it('a forged, missing or other-shop signature is a 401 and stores nothing', async () => {
    const body = fixture('orders-create');
    const before = [await count('store_webhooks'), await count('events')];
    const forged = await send({ topic: 'orders/create', body, hmac: Buffer.alloc(32, 7).toString('base64') });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ code: 'invalid_signature' });
    expect((await send({ topic: 'orders/create', body, hmac: null })).statusCode).toBe(401);
    // Signed for the bytes Shopify sent, then altered on the way (a total changed).
    const raw = JSON.stringify(body);
    const tampered = await send({
      topic: 'orders/create',
      body,
      raw: raw.replace('"403.00"', '"1.00"'),
      hmac: sign(raw),
    });
    expect(tampered.statusCode).toBe(401);
    const wrongShop = shopifySender(h.app, {
      workspaceId: ws(),
      shop: 'other-shop.myshopify.com',
      secret: SECRET,
    });
    const res = await wrongShop({ topic: 'orders/create', body });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('webhook.wrong_shop');
    expect([await count('store_webhooks'), await count('events')]).toEqual(before);
  });

  it('orders/create stores the order, its customer and an order.placed event; a replay changes nothing', async () => {
    const id = randomUUID();
    const first = await send({ topic: 'orders/create', body: fixture('orders-create'), webhookId: id });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'accepted' });
    await settled();
    const row = await order('820982911946154508');
    expect(row).toMatchObject({ total: '403.00', currency: 'USD', discount_codes: ['WELCOME10'] });
    expect(row.items).toHaveLength(2);
    expect(await events('shopify:order:%')).toMatchObject([
      { id: 'shopify:order:820982911946154508:placed', type: 'order.placed' },
    ]);
    expect(await count('event_outbox')).toBe(1);

    const snapshot = JSON.stringify(
      await h.t.pool.query('select * from events where workspace_id = $1', [ws()]),
    );
    const replay = await send({ topic: 'orders/create', body: fixture('orders-create'), webhookId: id });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ status: 'duplicate' });
    expect(JSON.stringify(await h.t.pool.query('select * from events where workspace_id = $1', [ws()]))).toBe(
      snapshot,
    );
    expect(await count('store_webhooks')).toBe(1);
  });

  it('fulfilment updates out of order: the newest status wins, the older one is stored as stale', async () => {
    const base = fixture('fulfillments-update');
    const at = (status: string, updated: string) => ({
      ...base,
      shipment_status: status,
      updated_at: updated,
    });
    // Delivered (newest) arrives first; in transit and out for delivery (older) arrive late.
    const outcomes = [
      await deliver({ topic: 'fulfillments/update', body: at('delivered', '2022-01-03T10:15:00-05:00') }),
      await deliver({
        topic: 'fulfillments/update',
        body: at('out_for_delivery', '2022-01-03T08:00:00-05:00'),
      }),
      await deliver({ topic: 'fulfillments/update', body: at('in_transit', '2022-01-02T08:00:00-05:00') }),
    ];
    expect(outcomes).toEqual(['applied', 'stale', 'stale']);
    expect((await order('820982911946154508')).status).toBe('delivered');
    expect(await events('shopify:fulfillment:%')).toMatchObject([
      {
        id: 'shopify:fulfillment:123456:delivered',
        type: 'order.delivered',
        properties: { trackingNumber: '1z827wk74630', trackingCompany: 'UPS' },
      },
    ]);
  });

  it('a fulfilment of another parcel, and a refund, reach the order’s customer', async () => {
    const f = {
      ...fixture('fulfillments-update'),
      id: 777,
      shipment_status: 'attempted_delivery',
      email: null,
    };
    expect(await deliver({ topic: 'fulfillments/create', body: f })).toBe('applied');
    expect(await deliver({ topic: 'refunds/create', body: fixture('refunds-create') })).toBe('applied');
    const rows = (
      await h.t.pool.query(
        `select e.type, c.external_id from events e join customers c on c.id = e.customer_id
         where e.workspace_id = $1 and e.type in ('order.delivery_attempted', 'order.refunded') order by e.type`,
        [ws()],
      )
    ).rows;
    expect(rows).toEqual([
      { type: 'order.delivery_attempted', external_id: '115310627314723954' },
      { type: 'order.refunded', external_id: '115310627314723954' },
    ]);
    expect((await order('820982911946154508')).status).toBe('refunded');
  });

  it('the order carries its status page and tracking, which templates render', async () => {
    const row = await order('820982911946154508');
    expect(row).toMatchObject({
      status_url: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
      tracking_number: '1z827wk74630',
      tracking_company: 'UPS',
      tracking_url: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630',
    });
    const res = await h.app.inject(
      withKey(a.keys.all, {
        method: 'POST',
        url: '/v1/preview',
        payload: {
          customerId: row.customer_id,
          orderId: row.id,
          content: {
            channel: 'sms',
            transactional: true,
            text: '{{ order.trackingCompany }} {{ order.trackingNumber }} {{ order.trackingUrl }} {{ order.statusUrl }}',
          },
        },
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().text).toContain(
      'UPS 1z827wk74630 https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630 https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
    );
  });

  it('a Shopify opt-out is honoured at once; an older customer update does not undo a newer one', async () => {
    const body = fixture('customers-update');
    expect(await deliver({ topic: 'customers/update', body })).toBe('applied');
    const consent = async () =>
      (
        await h.t.pool.query('select consent from customers where workspace_id = $1 and external_id = $2', [
          ws(),
          '706405506930370084',
        ])
      ).rows[0].consent;
    expect(await consent()).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
    const older = {
      ...body,
      updated_at: '2022-01-01T09:00:00-05:00',
      email_marketing_consent: {
        state: 'subscribed',
        opt_in_level: 'single_opt_in',
        consent_updated_at: null,
      },
    };
    expect(await deliver({ topic: 'customers/update', body: older })).toBe('stale');
    expect(await consent()).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
  });

  it('a signed body its topic cannot read is a 400 naming the field, and stores nothing', async () => {
    const before = await count('store_webhooks');
    const res = await send({
      topic: 'orders/create',
      body: { ...fixture('orders-create'), total_price: 'a lot' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'webhook.invalid_payload', field: 'body.total_price' });
    const notJson = await send({ topic: 'orders/create', body: null, raw: '{"id":' });
    expect(notJson.json()).toMatchObject({ code: 'webhook.invalid_payload', field: 'body' });
    const noId = await h.app.inject({
      method: 'POST',
      url: `/webhooks/shopify/${ws()}`,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': sign('{}'),
      },
      payload: '{}',
    });
    expect(noId.json()).toMatchObject({ field: 'headers.x-shopify-webhook-id' });
    expect(await count('store_webhooks')).toBe(before);
    expect((await send({ topic: 'products/update', body: { id: 1 } })).json()).toEqual({ status: 'ignored' });
  });

  it('storm: 500 webhooks delivered twice, concurrently and shuffled, store exactly one event each', async () => {
    const base = fixture('orders-create');
    const deliveries = Array.from({ length: 500 }, (_, i) => ({
      topic: 'orders/create',
      webhookId: `storm-${i}`,
      body: {
        ...base,
        id: 9_000_000 + i,
        name: `#S${i}`,
        customer: {
          ...(base.customer as object),
          id: 8_000_000 + (i % 50),
          email: `storm${i % 50}@example.com`,
        },
      },
    }));
    const twice = [...deliveries, ...deliveries];
    for (let i = twice.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [twice[i], twice[j]] = [twice[j]!, twice[i]!];
    }
    const answers = await Promise.all(twice.map((d) => send(d)));
    expect(answers.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const statuses = answers.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(500);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(500);
    await settled();
    const { rows } = await h.t.pool.query(
      `select count(*)::int as n, count(distinct id)::int as d from events where workspace_id = $1 and id like 'shopify:order:9%'`,
      [ws()],
    );
    expect(rows[0]).toEqual({ n: 500, d: 500 });
    expect(await count('store_webhooks', "and webhook_id like 'storm-%'")).toBe(500);
    expect(await count('orders', "and external_id like '9%'")).toBe(500);
  });
});
