import { TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { type Customer, getCustomer, getCustomerByExternalId } from '../customers/customers';
import { recomputeCustomerStats } from '../customers/orders';
import { countPendingOutbox } from '../runs/outbox';
import { type IngestInput, ingestEvent, ingestEvents } from './ingest';
import type { CustomerInput } from './inputs';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('ingest_event');
});
afterAll(async () => {
  await t?.drop();
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

  it("ingests a batch inside a caller's transaction the same way, and not at all if it rolls back", async () => {
    const ws = await seedWorkspace(t.db);
    const batch = Array.from({ length: 12 }, (_, i) =>
      orderEvent(
        `tx-${i}`,
        { email: `tx${i % 3}@example.com` },
        { externalId: `txo${i % 10}`, total: 2 + i },
      ),
    );
    const rolledBack = await t.db
      .transaction(async (tx) => {
        const r = await ingestEvents(tx, ws.id, batch, { chunkSize: 5 });
        expect(r.filter((x) => x.status === 'accepted')).toHaveLength(12);
        tx.rollback();
      })
      .catch((err: unknown) => err instanceof TransactionRollbackError);
    expect(rolledBack).toBe(true);
    expect(await countPendingOutbox(t.db, ws.id)).toBe(0);

    const inTx = await t.db.transaction((tx) =>
      ingestEvents(tx, ws.id, [...batch, batch[0]!], { chunkSize: 5 }),
    );
    expect(inTx.filter((r) => r.status === 'accepted')).toHaveLength(12);
    expect(inTx[12]).toEqual({ ...inTx[0], status: 'duplicate' });
    // The pool path sees what the transaction stored.
    const again = await ingestEvents(t.db, ws.id, batch);
    expect(again.map((r) => [r.status, r.orderId])).toEqual(
      inTx.slice(0, 12).map((r) => ['duplicate', r.orderId]),
    );
    for (const id of new Set(inTx.map((r) => r.customerId!))) await expectExactStats(ws.id, id);
  });
});
