import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { countPendingStoreWebhooks, createApiKey } from '@hourglass/db';
import { templates } from '@hourglass/nodes';
import { buildApp, type Dispatcher, startDispatcher } from '@hourglass/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { createHarness, type Harness } from './harness';

// Shopify webhooks driving the seed journeys end to end, on the Temporal dev server with real
// activities: orders/create starts "Order confirmation & delivery updates" (confirmation email), and
// fulfillments/update with shipment_status "delivered" moves it to its delivered email and starts the
// review request, which asks for a review a week later. Nothing here starts a run by hand: the
// webhooks are verified, stored, applied by the inbox and routed by the outbox dispatcher.

const SHOP = 'journeys-shop.myshopify.com';
const SECRET = 'shpss_journeys';
const template = (id: string) => templates.find((t) => t.id === id)!;
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    fs
      .readFileSync(new URL(`../fixtures/shopify/${name}.json`, import.meta.url), 'utf8')
      .replace(/(?<=[:[,]\s*)(\d{16,})(?=\s*[,\]}])/g, '"$1"'),
  );

let h: Harness;
let app: FastifyInstance;
let dispatcher: Dispatcher;
beforeAll(async () => {
  // The dev server (routing starts runs with search attributes, which the time-skipping server lacks);
  // the review request's week-long delay is shortened to a second.
  h = await createHarness('shopify_journeys', { timeSkipping: false });
  const temporal = { client: h.client, taskQueue: h.taskQueue };
  dispatcher = startDispatcher({
    db: h.db.db,
    temporal,
    log: { info() {}, warn() {}, error() {} },
    pollMs: 100,
  });
  app = await buildApp({
    db: h.db.db,
    temporal,
    onEventsAccepted: () => dispatcher.poke(),
    channels: testConfig(),
    pingDatabase: () => h.db.pool.query('select 1'),
    pingTemporal: async () => {},
  });
  const key = `hg_test_admin_${randomBytes(16).toString('hex')}`;
  await createApiKey(h.db.db, h.ws.id, {
    name: 'admin',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['admin'],
  });
  const res = await app.inject({
    method: 'PUT',
    url: '/v1/workspace/shopify',
    headers: { authorization: `Bearer ${key}` },
    payload: { shopDomain: SHOP, clientSecret: SECRET, accessToken: 'shpat_x' },
  });
  expect(res.statusCode).toBe(200);
  await h.publish(template('order_updates').graph);
  await h.publish(template('review_request').graph, undefined, 1000);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await dispatcher?.stop();
  await h?.close();
});

async function webhook(topic: string, body: unknown) {
  const raw = JSON.stringify(body);
  const res = await app.inject({
    method: 'POST',
    url: `/webhooks/shopify/${h.ws.id}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64'),
    },
    payload: raw,
  });
  expect(res.json()).toEqual({ status: 'accepted' });
  while (await countPendingStoreWebhooks(h.db.db, h.ws.id)) await new Promise((r) => setTimeout(r, 20));
  await dispatcher.drain();
}

const subjects = async (customerId: string) =>
  (await h.messages(customerId)).map((m) => m.subject ?? m.body_text);
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean) {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await read())}`);
}

describe('Shopify webhooks drive the seed journeys', () => {
  it('orders/create → confirmation; fulfillments/update delivered → delivered email, and a review request a week later', async () => {
    // A shopper who has not opted out: the review request is a marketing email.
    const order = fixture('orders-create');
    await webhook('orders/create', {
      ...order,
      customer: { ...(order.customer as object), email_marketing_consent: null },
    });
    const { rows } = await h.db.pool.query(
      `select id from customers where workspace_id = $1 and external_id = '115310627314723954'`,
      [h.ws.id],
    );
    const customerId = rows[0].id as string;
    await until(
      'the confirmation',
      () => subjects(customerId),
      (s) => s.includes('Order 820982911946154508 confirmed'),
    );

    await webhook('fulfillments/update', fixture('fulfillments-update'));
    await until(
      'the delivered email',
      () => subjects(customerId),
      (s) => s.some((x) => x?.startsWith('Delivered:')),
    );
    const delivered = (await h.messages(customerId)).find((m) => m.subject?.startsWith('Delivered:'));
    expect(delivered?.subject).toBe('Delivered: enjoy your IPod Nano - 8GB');

    // The review request waits a week after delivery, then asks.
    const asked = await until(
      'the review request',
      () => subjects(customerId),
      (s) => s.length >= 3,
    );
    expect(asked).toEqual([
      'Order 820982911946154508 confirmed',
      'Delivered: enjoy your IPod Nano - 8GB',
      'How are you liking IPod Nano - 8GB?',
    ]);
  }, 180_000);
});
