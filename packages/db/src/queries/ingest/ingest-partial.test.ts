import { TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../client';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { type Customer, getCustomer } from '../customers/customers';
import { getOrder, recomputeCustomerStats, upsertOrder } from '../customers/orders';
import { type IngestInput, ingestEvent, ingestEvents } from './ingest';
import type { CustomerInput } from './inputs';

// Events carry only what they know: a delivery or a review names its order by external id alone, a
// profile update carries the fields that changed. Whatever an event leaves out keeps its stored value,
// and the customer's derived stats follow only the fields that did change.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('ingest_partial');
});
afterAll(async () => {
  await t?.drop();
});

let seq = 0;
const event = (type: string, customer: CustomerInput, order?: IngestInput['order']): IngestInput => ({
  event: { id: `partial-${++seq}`, type, occurredAt: new Date(), properties: {} },
  customer,
  order: order ?? null,
});

const items = [
  { sku: 'mug', name: 'Mug', title: 'Blue mug', quantity: 1, price: 20 },
  { sku: 'tea', name: 'Tea', title: 'Green tea', quantity: 2, price: 50 },
];

/** The stored stats, checked against a recompute from the customer's orders (rolled back). */
async function exactStats(wsId: string, customerId: string) {
  const pick = (c: Customer | null) => ({
    ordersCount: c?.ordersCount,
    totalSpent: c?.totalSpent,
    aov: c?.aov,
    firstOrderAt: c?.firstOrderAt,
    lastOrderAt: c?.lastOrderAt,
  });
  const stored = pick(await getCustomer(t.db, wsId, customerId));
  let fresh: Customer | null = null;
  await t.db
    .transaction(async (tx) => {
      fresh = await recomputeCustomerStats(tx, wsId, customerId);
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  expect(stored).toEqual(pick(fresh));
  return stored;
}

// The pool path (pipelined, group commit) and a caller's transaction run different code: both must agree.
const paths: Array<
  [string, (input: IngestInput) => Promise<{ customerId: string | null; orderId: string | null }>]
> = [
  ['on the pool', (input) => ingestEvent(t.db, wsId, input)],
  ['in a caller transaction', (input) => t.db.transaction((tx: Executor) => ingestEvent(tx, wsId, input))],
  ['in a batch', async (input) => (await ingestEvents(t.db, wsId, [input]))[0]!],
];
let wsId = '';

describe.each(paths)('an event naming an order by external id alone (%s)', (_label, ingest) => {
  beforeAll(async () => {
    wsId = (await seedWorkspace(t.db)).id;
  });

  it('keeps the items, total and currency of a placed order when it is delivered', async () => {
    const who = { externalId: 'p-c1', email: 'ada@example.com' };
    const placed = await ingest(
      event('order.placed', who, {
        externalId: 'p-o1',
        total: 120,
        currency: 'EUR',
        items,
        placedAt: new Date(),
      }),
    );
    const delivered = await ingest(
      event('order.delivered', who, { externalId: 'p-o1', status: 'delivered', deliveredAt: new Date() }),
    );
    expect(delivered.orderId).toBe(placed.orderId);
    const order = await getOrder(t.db, wsId, placed.orderId!);
    expect(order).toMatchObject({ total: 120, currency: 'EUR', items, status: 'delivered' });
    expect(order?.deliveredAt).toBeInstanceOf(Date);
    expect(await exactStats(wsId, placed.customerId!)).toMatchObject({
      ordersCount: 1,
      totalSpent: 120,
      aov: 120,
    });
  });

  it('keeps the total spent and AOV when a review names the order', async () => {
    const who = { externalId: 'p-c2' };
    await ingest(
      event('order.placed', who, { externalId: 'p-o2a', total: 100, items, placedAt: new Date() }),
    );
    const placed = await ingest(
      event('order.placed', who, { externalId: 'p-o2b', total: 300, items, placedAt: new Date() }),
    );
    const reviewed = await ingest(event('review.submitted', who, { externalId: 'p-o2b' }));
    expect(reviewed.orderId).toBe(placed.orderId);
    expect(await getOrder(t.db, wsId, placed.orderId!)).toMatchObject({ total: 300, items });
    expect(await exactStats(wsId, placed.customerId!)).toMatchObject({
      ordersCount: 2,
      totalSpent: 400,
      aov: 200,
    });
  });

  it('updates the stats when an event does change the total, and not the items it leaves out', async () => {
    const who = { externalId: 'p-c3' };
    const placed = await ingest(event('order.placed', who, { externalId: 'p-o3', total: 120, items }));
    await ingest(event('order.updated', who, { externalId: 'p-o3', total: 90 }));
    expect(await getOrder(t.db, wsId, placed.orderId!)).toMatchObject({ total: 90, currency: 'USD', items });
    expect(await exactStats(wsId, placed.customerId!)).toMatchObject({ totalSpent: 90, aov: 90 });
  });

  it('creates an order it does not know with total 0, USD and no items, and keeps the stats exact', async () => {
    const who = { externalId: 'p-c4' };
    await ingest(event('order.placed', who, { externalId: 'p-o4a', total: 60 }));
    const named = await ingest(event('review.submitted', who, { externalId: 'p-o4b' }));
    expect(await getOrder(t.db, wsId, named.orderId!)).toMatchObject({
      total: 0,
      currency: 'USD',
      items: [],
      status: 'placed',
    });
    expect(await exactStats(wsId, named.customerId!)).toMatchObject({ ordersCount: 2, totalSpent: 60 });
    // Its order.placed arrives late, with the real total: the stats follow.
    await ingest(
      event('order.placed', who, { externalId: 'p-o4b', total: 140, items, placedAt: new Date() }),
    );
    expect(await getOrder(t.db, wsId, named.orderId!)).toMatchObject({ total: 140, items });
    expect(await exactStats(wsId, named.customerId!)).toMatchObject({
      ordersCount: 2,
      totalSpent: 200,
      aov: 100,
    });
  });

  it('keeps every customer field an event leaves out; attributes merge by key', async () => {
    const full: CustomerInput = {
      externalId: 'p-c5',
      email: 'grace@example.com',
      phone: '+15550001234',
      firstName: 'Grace',
      lastName: 'Hopper',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      birthday: '1990-12-09',
      attributes: { plan: 'gold', size: 'M' },
      tags: ['vip'],
      consent: { email: 'subscribed', sms: 'subscribed' },
    };
    const first = await ingest(event('customer.updated', full));
    const before = await getCustomer(t.db, wsId, first.customerId!);
    await ingest(event('order.placed', { externalId: 'p-c5' }, { externalId: 'p-o5', total: 10 }));
    await ingest(
      event('customer.updated', {
        externalId: 'p-c5',
        attributes: { size: 'L', pets: 2 },
        tags: ['reviewer'],
        consent: { sms: 'unsubscribed' },
      }),
    );
    const after = await getCustomer(t.db, wsId, first.customerId!);
    expect(after).toMatchObject({
      email: before?.email,
      phone: before?.phone,
      firstName: 'Grace',
      lastName: 'Hopper',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      birthday: before?.birthday,
      attributes: { plan: 'gold', size: 'L', pets: 2 },
      tags: ['reviewer', 'vip'],
      consent: { email: 'subscribed', sms: 'unsubscribed' },
    });
  });
});

describe('upsertOrder with fields left out', () => {
  it('keeps the stored total, currency and items', async () => {
    const ws = await seedWorkspace(t.db);
    const [c] = await ingestEvents(t.db, ws.id, [event('customer.created', { externalId: 'u-c1' })]);
    const customerId = c!.customerId!;
    await upsertOrder(t.db, ws.id, { externalId: 'u-o1', customerId, total: 75, currency: 'GBP', items });
    const { order, customer } = await upsertOrder(t.db, ws.id, {
      externalId: 'u-o1',
      customerId,
      status: 'fulfilled',
    });
    expect(order).toMatchObject({ total: 75, currency: 'GBP', items, status: 'fulfilled' });
    expect(customer).toMatchObject({ ordersCount: 1, totalSpent: 75, aov: 75 });
  });
});
