import { TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../testing';
import {
  type Customer,
  type CustomerInput,
  getCustomer,
  getCustomerByExternalId,
  searchCustomers,
  upsertCustomerFromEvent,
} from './customers';
import { getEvent, insertEventOnce } from './events';
import { type IngestInput, ingestEvent, ingestEvents } from './ingest';
import { listCustomerOrders, recomputeCustomerStats, upsertOrder } from './orders';
import { claimOutboxBatch, countPendingOutbox, markOutboxDone, markOutboxFailed } from './outbox';

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
    expect(await listCustomerOrders(t.db, ws.id, customer.id)).toHaveLength(2);
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

describe('ingestEvent / ingestEvents', () => {
  const orderEvent = (id: string, customer: CustomerInput, order: IngestInput['order']): IngestInput => ({
    event: { id, type: 'order.placed', occurredAt: new Date(), properties: {} },
    customer,
    order,
  });
  const statsOf = (c: Customer | null) => ({
    ordersCount: c?.ordersCount,
    totalSpent: c?.totalSpent,
    aov: c?.aov,
    firstOrderAt: c?.firstOrderAt,
    lastOrderAt: c?.lastOrderAt,
  });
  const expectExactStats = async (wsId: string, customerId: string) => {
    const stored = await getCustomer(t.db, wsId, customerId);
    let fresh: Customer | null = null;
    await t.db
      .transaction(async (tx) => {
        fresh = await recomputeCustomerStats(tx, wsId, customerId);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      });
    expect(statsOf(stored)).toEqual(statsOf(fresh));
    return stored!;
  };

  it('accepts one of many concurrent deliveries of one event id', async () => {
    const ws = await seedWorkspace(t.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ingestEvent(
          t.db,
          ws.id,
          orderEvent(
            'dup-1',
            { externalId: 'cd', email: `cd${i}@example.com` },
            { externalId: 'od', total: 10 + i },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
    expect(new Set(results.map((r) => r.orderId)).size).toBe(1);
    expect(await countPendingOutbox(t.db, ws.id)).toBe(1);
    const customer = await expectExactStats(ws.id, results[0]!.customerId!);
    expect(customer.ordersCount).toBe(1);
    // Sent again later: the fast path answers duplicate with what was stored.
    const again = await ingestEvent(t.db, ws.id, orderEvent('dup-1', { externalId: 'other' }, null));
    expect(again).toEqual({ status: 'duplicate', customerId: customer.id, orderId: results[0]!.orderId });
    expect(await getCustomerByExternalId(t.db, ws.id, 'other')).toBeNull();
  });

  it('keeps stats exact under concurrent orders of one customer reached by different identities', async () => {
    const ws = await seedWorkspace(t.db);
    const seed = await ingestEvent(
      t.db,
      ws.id,
      orderEvent('s0', { externalId: 'cc', email: 'CC@example.com' }, null),
    );
    const base = new Date('2024-03-01T00:00:00Z').getTime();
    // External id, email (other case) and phone-less email-only events lock different keys, so
    // only the customer row serialises them.
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        ingestEvent(
          t.db,
          ws.id,
          orderEvent(
            `cc-${i}`,
            i % 2 ? { externalId: 'cc' } : { email: 'cc@EXAMPLE.com', attributes: { [`k${i}`]: i } },
            { externalId: `cco${i}`, total: 10.25 + i, placedAt: new Date(base + i * 3_600_000) },
          ),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.customerId))).toEqual(new Set([seed.customerId]));
    const c = await expectExactStats(ws.id, seed.customerId!);
    expect(c).toMatchObject({ ordersCount: 16, totalSpent: 284, aov: 17.75 });
    expect(c.firstOrderAt).toEqual(new Date(base));
    expect(c.lastOrderAt).toEqual(new Date(base + 15 * 3_600_000));

    // Concurrent refunds, re-dated orders and updates of the same customer's orders.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ingestEvent(
          t.db,
          ws.id,
          orderEvent(
            `cc-upd-${i}`,
            i % 2 ? { externalId: 'cc' } : { email: 'cc@example.com' },
            i < 3
              ? { externalId: `cco${i}`, total: 10.25 + i, status: 'refunded', refundedAt: new Date() }
              : i < 5
                ? { externalId: `cco${i + 10}`, total: 1, placedAt: new Date(base - i * 3_600_000) }
                : { externalId: `cco${i}`, total: 99, status: 'delivered' },
          ),
        ),
      ),
    );
    const after = await expectExactStats(ws.id, seed.customerId!);
    expect(after.ordersCount).toBe(13);
    expect(after.firstOrderAt).toEqual(new Date(base - 4 * 3_600_000));
  });

  it('matches a full recompute after any sequence of order changes, moves included', async () => {
    const ws = await seedWorkspace(t.db);
    const customers = ['m1', 'm2', 'm3'];
    const statuses = [undefined, 'placed', 'fulfilled', 'cancelled', 'refunded', 'delivered'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ids = new Set<string>();
    for (let i = 0; i < 120; i++) {
      const r = await ingestEvent(
        t.db,
        ws.id,
        orderEvent(
          `seq-${i}`,
          { externalId: customers[rnd(3)]! },
          {
            externalId: `so${rnd(10)}`,
            total: rnd(10_000) / 100,
            status: statuses[rnd(statuses.length)],
            placedAt: rnd(3) ? undefined : new Date(Date.UTC(2024, rnd(12), 1 + rnd(28))),
            refundedAt: rnd(10) ? undefined : new Date(),
          },
        ),
      );
      ids.add(r.customerId!);
      for (const id of ids) await expectExactStats(ws.id, id);
    }
  });

  it('commits concurrent single events together exactly: moves, repeats and stats', async () => {
    const ws = await seedWorkspace(t.db);
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const accepted = new Set<string>();
    const customerIds = new Set<string>();
    for (let wave = 0; wave < 6; wave++) {
      // 40 at once: more than the ingest slots, so most are committed in groups. Ids repeat across
      // and within waves, orders move between customers, some are refunded or re-dated.
      const ids = Array.from({ length: 40 }, () => `gc-${rnd(150)}`);
      const results = await Promise.all(
        ids.map((id) =>
          ingestEvent(
            t.db,
            ws.id,
            orderEvent(
              id,
              { externalId: `g${rnd(4)}` },
              {
                externalId: `go${rnd(12)}`,
                total: rnd(10_000) / 100,
                status: rnd(5) ? undefined : 'refunded',
                placedAt: rnd(3) ? undefined : new Date(Date.UTC(2024, rnd(12), 1 + rnd(28))),
              },
            ),
          ),
        ),
      );
      // Each id is accepted exactly once over all waves, by whichever of its concurrent deliveries.
      for (const id of new Set(ids)) {
        const wins = results.filter((r, i) => ids[i] === id && r.status === 'accepted').length;
        expect(wins, `${id} accepted`).toBe(accepted.has(id) ? 0 : 1);
        accepted.add(id);
      }
      for (const r of results) customerIds.add(r.customerId!);
      for (const id of customerIds) await expectExactStats(ws.id, id);
    }
    expect(await countPendingOutbox(t.db, ws.id)).toBe(accepted.size);
  });

  it('ingests a batch once: in-batch repeats and re-sent or racing batches are duplicates', async () => {
    const ws = await seedWorkspace(t.db);
    const batch = Array.from({ length: 40 }, (_, i) =>
      orderEvent(
        `b-${i}`,
        { email: `b${i % 7}@example.com` },
        { externalId: `bo${i % 30}`, total: 5 + (i % 4) },
      ),
    );
    const first = await ingestEvents(t.db, ws.id, [...batch, batch[3]!], { chunkSize: 16 });
    expect(first.filter((r) => r.status === 'accepted')).toHaveLength(40);
    expect(first[40]).toEqual({ ...first[3], status: 'duplicate' });
    expect(await countPendingOutbox(t.db, ws.id)).toBe(40);
    const again = await ingestEvents(t.db, ws.id, batch);
    expect(again.every((r) => r.status === 'duplicate')).toBe(true);
    expect(again.map((r) => r.orderId)).toEqual(first.slice(0, 40).map((r) => r.orderId));

    const more = Array.from({ length: 30 }, (_, i) =>
      orderEvent(`r-${i}`, { email: `b${i % 7}@example.com` }, { externalId: `ro${i}`, total: 1 }),
    );
    const racing = await Promise.all([
      ingestEvents(t.db, ws.id, more, { chunkSize: 7 }),
      ingestEvents(t.db, ws.id, [...more].reverse(), { chunkSize: 11 }),
      ...more.slice(0, 5).map((e) => ingestEvent(t.db, ws.id, e)),
    ]);
    const accepted = racing.flat().filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(30);
    expect(await countPendingOutbox(t.db, ws.id)).toBe(70);
    const people = new Set(first.map((r) => r.customerId!));
    expect(people.size).toBe(7);
    let orders = 0;
    for (const id of people) orders += (await expectExactStats(ws.id, id)).ordersCount;
    expect(orders).toBe(60);
  });
});
