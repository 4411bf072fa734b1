import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { getCustomer, searchCustomers, upsertCustomerFromEvent } from '../customers/customers';
import { getEvent, insertEventOnce } from '../customers/events';
import { upsertOrder } from '../customers/orders';
import { customerOrdersPage } from '../customers/profile-pages';
import { claimOutboxBatch, countPendingOutbox, markOutboxDone, markOutboxFailed } from '../runs/outbox';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('ingest');
});
afterAll(async () => {
  await t?.drop();
});

describe('customers', () => {
  it('merges identity, attributes, tags and consent into one customer', async () => {
    const ws = await seedWorkspace(t.db);
    const a = await upsertCustomerFromEvent(t.db, ws.id, {
      email: 'Ada@Example.com',
      firstName: 'Ada',
      attributes: { plan: 'gold' },
      tags: ['vip'],
    });
    expect(a.created).toBe(true);
    const b = await upsertCustomerFromEvent(t.db, ws.id, {
      externalId: 'cus_1',
      email: 'ada@example.com',
      lastName: 'Lovelace',
      attributes: { size: 'M' },
      tags: ['vip', 'new'],
      consent: { sms: 'subscribed' },
    });
    expect(b.created).toBe(false);
    expect(b.customer.id).toBe(a.customer.id);
    expect(b.customer).toMatchObject({
      externalId: 'cus_1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      attributes: { plan: 'gold', size: 'M' },
      tags: ['new', 'vip'],
      consent: { email: 'unknown', sms: 'subscribed' },
    });
    // A different external id with the same email is a different customer, not a merge.
    const c = await upsertCustomerFromEvent(t.db, ws.id, { externalId: 'cus_2', email: 'ada@example.com' });
    expect(c.created).toBe(true);
  });

  it('creates one customer when events about a new customer race', async () => {
    const ws = await seedWorkspace(t.db);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upsertCustomerFromEvent(t.db, ws.id, { email: 'race@example.com', attributes: { [`k${i}`]: i } }),
      ),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [only] = await searchCustomers(t.db, ws.id, { query: 'race@' });
    expect(Object.keys(only!.attributes)).toHaveLength(6);
  });

  it('searches by email, phone, name and external id', async () => {
    const ws = await seedWorkspace(t.db);
    await upsertCustomerFromEvent(t.db, ws.id, {
      externalId: 'shopify-42',
      email: 'grace@navy.mil',
      phone: '+15550001111',
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    await upsertCustomerFromEvent(t.db, ws.id, { email: 'alan@example.com', firstName: 'Alan' });
    for (const q of ['grace@', 'GRACE', '+15550001111', 'shopify-42', 'Grace Hop', 'hopper']) {
      const found = await searchCustomers(t.db, ws.id, { query: q });
      expect(
        found.map((c) => c.email),
        q,
      ).toEqual(['grace@navy.mil']);
    }
    expect(await searchCustomers(t.db, ws.id, { query: '%' })).toEqual([]);
    expect(await searchCustomers(t.db, ws.id)).toHaveLength(2);
  });
});

describe('orders', () => {
  it('recomputes customer stats in the same transaction', async () => {
    const ws = await seedWorkspace(t.db);
    const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { externalId: 'c1' });
    const d1 = new Date('2024-01-01T10:00:00Z');
    const d2 = new Date('2024-02-01T10:00:00Z');
    const r1 = await upsertOrder(t.db, ws.id, {
      externalId: 'o1',
      customerId: customer.id,
      total: 100.1,
      placedAt: d1,
    });
    expect(r1.created).toBe(true);
    expect(r1.customer).toMatchObject({
      ordersCount: 1,
      totalSpent: 100.1,
      aov: 100.1,
      firstOrderAt: d1,
      lastOrderAt: d1,
    });

    const r2 = await upsertOrder(t.db, ws.id, {
      externalId: 'o2',
      customerId: customer.id,
      total: 200,
      placedAt: d2,
    });
    expect(r2.customer).toMatchObject({
      ordersCount: 2,
      totalSpent: 300.1,
      aov: 150.05,
      firstOrderAt: d1,
      lastOrderAt: d2,
    });

    // Same external id again: an update (delivery), not a new order; fulfilled_at survives a partial update.
    const fulfilledAt = new Date('2024-02-02T10:00:00Z');
    await upsertOrder(t.db, ws.id, { externalId: 'o2', customerId: customer.id, total: 200, fulfilledAt });
    const r3 = await upsertOrder(t.db, ws.id, {
      externalId: 'o2',
      customerId: customer.id,
      total: 200,
      deliveredAt: new Date('2024-02-03T10:00:00Z'),
    });
    expect(r3.created).toBe(false);
    expect(r3.order.fulfilledAt).toEqual(fulfilledAt);
    expect(r3.order.placedAt).toEqual(d2);
    expect(r3.customer.ordersCount).toBe(2);

    // Refunds drop out of the stats.
    const r4 = await upsertOrder(t.db, ws.id, {
      externalId: 'o1',
      customerId: customer.id,
      total: 100.1,
      status: 'refunded',
    });
    expect(r4.customer).toMatchObject({ ordersCount: 1, totalSpent: 200, aov: 200, firstOrderAt: d2 });
    expect((await customerOrdersPage(t.db, ws.id, customer.id)).items).toHaveLength(2);
  });

  it('keeps stats exact when orders of one customer arrive concurrently', async () => {
    const ws = await seedWorkspace(t.db);
    const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { externalId: 'c-conc' });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        upsertOrder(t.db, ws.id, { externalId: `co${i}`, customerId: customer.id, total: 10 + i }),
      ),
    );
    const after = await getCustomer(t.db, ws.id, customer.id);
    expect(after).toMatchObject({ ordersCount: 8, totalSpent: 108, aov: 13.5 });
  });
});

describe('events and outbox', () => {
  it('stores an event once and enqueues routing once', async () => {
    const ws = await seedWorkspace(t.db);
    const input = { id: 'evt_1', type: 'order.placed', properties: { a: 1 } };
    const first = await insertEventOnce(t.db, ws.id, input);
    const again = await insertEventOnce(t.db, ws.id, { ...input, properties: { a: 2 } });
    expect(first.inserted).toBe(true);
    expect(again.inserted).toBe(false);
    expect(again.event.properties).toEqual({ a: 1 });
    expect(await countPendingOutbox(t.db, ws.id)).toBe(1);

    const racing = await Promise.all(
      Array.from({ length: 5 }, () => insertEventOnce(t.db, ws.id, { id: 'evt_2', type: 'x' })),
    );
    expect(racing.filter((r) => r.inserted)).toHaveLength(1);
    expect(await countPendingOutbox(t.db, ws.id)).toBe(2);
  });

  it('never hands the same row to two concurrent claimers', async () => {
    const ws = await seedWorkspace(t.db);
    for (let i = 0; i < 60; i++) await insertEventOnce(t.db, ws.id, { id: `claim_${i}`, type: 'x' });
    const mine = <T extends { workspaceId: string }>(rows: T[]) =>
      rows.filter((r) => r.workspaceId === ws.id);
    const claimed: number[] = [];
    // Several rounds of two claimers racing until the workspace's queue is drained.
    for (let round = 0; round < 20; round++) {
      const [a, b] = await Promise.all([claimOutboxBatch(t.db, 7), claimOutboxBatch(t.db, 7)]);
      const batch = [...mine(a), ...mine(b)];
      if (batch.length === 0 && a.length === 0 && b.length === 0) break;
      claimed.push(...batch.map((r) => r.id));
    }
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
  });

  it('marks rows done and backs off failed ones', async () => {
    const ws = await seedWorkspace(t.db);
    await insertEventOnce(t.db, ws.id, { id: 'e_done', type: 'x' });
    await insertEventOnce(t.db, ws.id, { id: 'e_fail', type: 'x' });
    // Earlier tests may leave due rows of other workspaces; drain until ours are claimed.
    const ours = (await claimOutboxBatch(t.db, 1000)).filter((r) => r.workspaceId === ws.id);
    expect(ours.map((r) => r.eventId).sort()).toEqual(['e_done', 'e_fail']);
    const done = ours.find((r) => r.eventId === 'e_done')!;
    const fail = ours.find((r) => r.eventId === 'e_fail')!;

    await markOutboxDone(t.db, ws.id, done.id);
    expect(await getEvent(t.db, ws.id, 'e_done')).toMatchObject({ routingState: 'routed' });

    const failed = await markOutboxFailed(t.db, ws.id, fail.id, 'temporal unavailable', { failAfter: 1 });
    expect(failed!.lastError).toBe('temporal unavailable');
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await getEvent(t.db, ws.id, 'e_fail')).toMatchObject({
      routingState: 'failed',
      routingError: 'temporal unavailable',
    });
    // Backed off: not due again yet; and a done row is never claimed.
    const next = (await claimOutboxBatch(t.db, 1000)).filter((r) => r.workspaceId === ws.id);
    expect(next).toEqual([]);
    expect(await countPendingOutbox(t.db, ws.id)).toBe(1);
  });

  it('returns leased rows once the lease expires', async () => {
    const ws = await seedWorkspace(t.db);
    await insertEventOnce(t.db, ws.id, { id: 'lease', type: 'x' });
    const first = (await claimOutboxBatch(t.db, 1000, { leaseMs: 0 })).filter((r) => r.workspaceId === ws.id);
    const second = (await claimOutboxBatch(t.db, 1000)).filter((r) => r.workspaceId === ws.id);
    expect(first).toHaveLength(1);
    expect(second.map((r) => [r.id, r.attempts])).toEqual([[first[0]!.id, 2]]);
  });
});
