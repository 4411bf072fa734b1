import { getCustomerByExternalId, getOrderByExternalId } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Events carry only what they know: a delivery or a review names its order by external id alone, and
// whatever an event leaves out (items, total, currency, customer profile fields) keeps its stored value.

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await harness('api_events_partial');
  tenant = await seedTenant(h.t.db, 'Partial events shop');
});
afterAll(async () => h?.close());

let seq = 0;
const ingest = async (event: Record<string, unknown>) => {
  const res = await h.app.inject(
    withKey(tenant.keys.ingest, {
      method: 'POST',
      url: '/v1/events',
      payload: { id: `partial-${++seq}`, occurredAt: new Date().toISOString(), ...event },
    }),
  );
  expect(res.statusCode, res.body).toBe(202);
};

const items = [
  { sku: 'mug', title: 'Blue mug', quantity: 1, price: 20 },
  { sku: 'tea', title: 'Green tea', quantity: 2, price: 50 },
];

describe('POST /v1/events with partial order and customer data', () => {
  it('keeps the items when order.delivered names the order without them, so templates still read them', async () => {
    const customer = { externalId: 'p-c1', email: 'p-c1@example.com' };
    await ingest({ type: 'order.placed', customer, order: { externalId: 'p-o1', total: 120, items } });
    await ingest({ type: 'order.delivered', customer, order: { externalId: 'p-o1', total: 120 } });
    const order = await getOrderByExternalId(h.t.db, tenant.workspace.id, 'p-o1');
    expect(order).toMatchObject({ items, total: 120, status: 'delivered' });
    expect(order?.deliveredAt).toBeInstanceOf(Date);

    const preview = await h.app.inject(
      withKey(tenant.keys.read, {
        method: 'POST',
        url: '/v1/preview',
        payload: {
          customerId: order!.customerId,
          orderId: order!.id,
          content: { channel: 'email', subject: 'Enjoy your {{ order.items[0].title }}', body: 'Thanks!' },
        },
      }),
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ ok: true, subject: 'Enjoy your Blue mug' });
  });

  it('keeps the order total, total spent and AOV when review.submitted names the order by external id alone', async () => {
    const customer = { externalId: 'p-c2' };
    await ingest({
      type: 'order.placed',
      customer,
      order: { externalId: 'p-o2a', total: 100, currency: 'EUR' },
    });
    await ingest({ type: 'order.placed', customer, order: { externalId: 'p-o2b', total: 300, items } });
    await ingest({
      type: 'review.submitted',
      customer,
      order: { externalId: 'p-o2b' },
      properties: { rating: 5 },
    });
    expect(await getOrderByExternalId(h.t.db, tenant.workspace.id, 'p-o2b')).toMatchObject({
      total: 300,
      items,
    });
    expect(await getCustomerByExternalId(h.t.db, tenant.workspace.id, 'p-c2')).toMatchObject({
      ordersCount: 2,
      totalSpent: 400,
      aov: 200,
    });
    // Currency too: an event without one does not reset it to USD.
    await ingest({ type: 'order.fulfilled', customer, order: { externalId: 'p-o2a' } });
    expect(await getOrderByExternalId(h.t.db, tenant.workspace.id, 'p-o2a')).toMatchObject({
      total: 100,
      currency: 'EUR',
      status: 'fulfilled',
    });
  });

  it('keeps every customer field an event leaves out; attributes merge by key, tags and consent add up', async () => {
    await ingest({
      type: 'customer.updated',
      customer: {
        externalId: 'p-c3',
        email: 'grace@example.com',
        phone: '+15550001234',
        firstName: 'Grace',
        lastName: 'Hopper',
        timezone: 'Europe/Paris',
        birthday: '1990-12-09',
        attributes: { plan: 'gold', size: 'M' },
        tags: ['vip'],
        consent: { email: 'subscribed', sms: 'subscribed' },
      },
    });
    await ingest({
      type: 'order.placed',
      customer: { externalId: 'p-c3' },
      order: { externalId: 'p-o3', total: 10 },
    });
    await ingest({
      type: 'customer.updated',
      customer: {
        externalId: 'p-c3',
        attributes: { size: 'L' },
        tags: ['reviewer'],
        consent: { sms: 'unsubscribed' },
      },
    });
    expect(await getCustomerByExternalId(h.t.db, tenant.workspace.id, 'p-c3')).toMatchObject({
      email: 'grace@example.com',
      phone: '+15550001234',
      firstName: 'Grace',
      lastName: 'Hopper',
      timezone: 'Europe/Paris',
      birthday: '1990-12-09',
      attributes: { plan: 'gold', size: 'L' },
      tags: ['reviewer', 'vip'],
      consent: { email: 'subscribed', sms: 'unsubscribed' },
      ordersCount: 1,
      totalSpent: 10,
    });
  });
});
