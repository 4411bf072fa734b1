import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderItem } from '../../schema';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { upsertOrder } from '../customers/orders';
import { ingestEvent, ingestEvents } from '../ingest/ingest';
import { MAX_BASKET, rebuildProducts, recommendProducts } from './recommendations';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('recommendations');
});
afterAll(async () => {
  await t?.drop();
});

let seq = 0;
const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n));
const lines = (skus: Array<string | OrderItem>): OrderItem[] =>
  skus.map((s) => (typeof s === 'string' ? { sku: s, name: `Product ${s}`, quantity: 1, price: 10 } : s));

/** An order event: customer `who` (external id) bought `skus` in order `order`. */
const orderEvent = (who: string, order: string, skus: Array<string | OrderItem>, placedAt = day(seq)) => ({
  event: { id: `ev_${++seq}`, type: 'order.placed' },
  customer: { externalId: who },
  order: { externalId: order, items: lines(skus), placedAt },
});

async function buy(ws: string, who: string, order: string, skus: Array<string | OrderItem>, placedAt?: Date) {
  const r = await ingestEvent(t.db, ws, orderEvent(who, order, skus, placedAt));
  return { customerId: r.customerId!, orderId: r.orderId! };
}

const skusOf = async (ws: string, opts: Parameters<typeof recommendProducts>[2]) =>
  (await recommendProducts(t.db, ws, opts)).map((p) => p.sku);

// rebuildProducts and the migration's backfill derive the same tables from orders.items alone: run on
// the current orders (in a transaction rolled back afterwards), each must give exactly what order
// writes maintained.
const backfill = readFileSync(
  new URL('../../../drizzle/0006_order_items_recommendations.sql', import.meta.url),
  'utf8',
)
  .split('--> statement-breakpoint')
  .filter((s) => /INSERT INTO/.test(s));

class Rollback extends Error {}

async function expectInStepWithOrders() {
  const check = t.db.transaction(async (tx) => {
    const rows = async (q: string) => (await tx.execute(sql.raw(q))).rows;
    const read = async () => ({
      items: await rows('select * from order_items order by workspace_id, order_id, sku'),
      stats: await rows('select * from product_stats where buyers <> 0 order by 1, 2'),
      pairs: await rows('select * from product_pairs where buyers <> 0 order by 1, 2, 3'),
    });
    const maintained = await read();
    for (const { id } of await rows('select distinct workspace_id as id from orders'))
      await rebuildProducts(tx, id as string);
    expect(await read()).toEqual(maintained);
    await rows('delete from order_items; delete from product_stats; delete from product_pairs');
    for (const statement of backfill) await rows(statement);
    expect(await read()).toEqual(maintained);
    throw new Rollback();
  });
  await expect(check).rejects.toBeInstanceOf(Rollback);
}

describe('recommendProducts', () => {
  it('ranks products by how many other buyers of the basket bought them, then fills with best sellers', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    await buy(ws, 'u1', 'o1', ['A', 'B', 'C']);
    await buy(ws, 'u2', 'o2', ['A', 'B']);
    await buy(ws, 'u3', 'o3', ['A', 'D']);
    await buy(ws, 'u4', 'o4', ['E', 'F']);
    await buy(ws, 'u5', 'o5', ['F']);
    const me = await buy(ws, 'me', 'o6', ['A']);
    // B: 2 co-buyers; C and D: 1 each (by sku); then best sellers: F (2 buyers), E (1).
    expect(await skusOf(ws, { customerId: me.customerId, limit: 5 })).toEqual(['B', 'C', 'D', 'F', 'E']);
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['B', 'C', 'D', 'F']);
    expect(await skusOf(ws, { customerId: me.customerId, limit: 2 })).toEqual(['B', 'C']);
    expect(await skusOf(ws, { customerId: me.customerId, limit: 0 })).toEqual([]);
    // Named by skus, or by order: a basket of several skus sums each one's co-buyers.
    expect(await skusOf(ws, { customerId: me.customerId, skus: ['D', 'B'], limit: 3 })).toEqual([
      'C',
      'F',
      'E',
    ]);
    expect(await skusOf(ws, { customerId: me.customerId, orderId: me.orderId, limit: 1 })).toEqual(['B']);
    await expectInStepWithOrders();
  });

  it('never recommends what the customer ever bought, nor the basket', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    await buy(ws, 'u1', 'o1', ['A', 'B', 'C']);
    await buy(ws, 'u2', 'o2', ['A', 'B', 'D']);
    await buy(ws, 'me', 'old', ['B'], day(1));
    const me = await buy(ws, 'me', 'new', ['A'], day(2));
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['C', 'D']);
    // A basket named by skus: C's other buyer (u1) bought only A and B, which they have.
    const old = await skusOf(ws, { customerId: me.customerId, skus: ['C'] });
    expect(old).toEqual(['D']);
    // A basket past MAX_BASKET skus scores with its first ones, and still leaves all of them out.
    const fillers = Array.from({ length: MAX_BASKET }, (_, i) => `A-${String(i).padStart(3, '0')}`);
    expect(await skusOf(ws, { customerId: me.customerId, skus: [...fillers, 'C'] })).toEqual(['D']);
  });

  it('falls back to best sellers when nobody else bought the basket, and to nothing without history', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    const empty = await seedWorkspace(t.db);
    expect(await recommendProducts(t.db, empty.id, { customerId: crypto.randomUUID() })).toEqual([]);
    await buy(ws, 'u1', 'o1', ['X', 'Y']);
    await buy(ws, 'u2', 'o2', ['Y']);
    await buy(ws, 'u3', 'o3', ['Y', 'Z']);
    const me = await buy(ws, 'me', 'o4', ['ONLY-MINE']);
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['Y', 'X', 'Z']);
    // A customer with no orders at all gets the best sellers too.
    const { customerId } = await buy(ws, 'other', 'o5', []);
    expect(await skusOf(ws, { customerId, limit: 2 })).toEqual(['Y', 'ONLY-MINE']);
  });

  it('describes a product by its most recent order line', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    const line = (name: string, price: number, extra: Partial<OrderItem> = {}): OrderItem => ({
      sku: 'MUG',
      name,
      quantity: 1,
      price,
      ...extra,
    });
    const newest = { url: 'https://shop.example/mug', imageUrl: 'https://cdn.example/mug.png' };
    await buy(ws, 'u1', 'o1', ['TEA', line('Mug, blue', 24.5, newest)], day(10));
    // Ingested later but placed earlier: not the most recent line.
    await buy(ws, 'u2', 'o2', ['TEA', line('Old mug', 19)], day(3));
    const me = await buy(ws, 'me', 'o3', ['TEA']);
    expect(await recommendProducts(t.db, ws, { customerId: me.customerId })).toEqual([
      { sku: 'MUG', title: 'Mug, blue', price: 24.5, ...newest },
    ]);
  });

  it('follows an order whose items are replaced, moved or re-sent, without counting twice', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    await buy(ws, 'u1', 'o1', ['A', 'B', 'C']);
    await buy(ws, 'u2', 'o2', ['A', 'C']);
    const me = await buy(ws, 'me', 'o3', ['A']);
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['C', 'B']);
    // u1's order now holds A and D only: B and C lose a buyer, D gains one.
    await buy(ws, 'u1', 'o1', ['A', 'D']);
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['C', 'D']);
    // The same order again (a new event), an event without items, and a duplicate event id.
    const again = orderEvent('u1', 'o1', ['A', 'D']);
    await ingestEvent(t.db, ws, again);
    await ingestEvent(t.db, ws, again);
    await ingestEvent(t.db, ws, {
      event: { id: `ev_${++seq}`, type: 'order.fulfilled' },
      customer: { externalId: 'u1' },
      order: { externalId: 'o1', status: 'fulfilled' },
    });
    // A second order of the same products by the same customer: still one buyer each.
    await buy(ws, 'u2', 'o4', ['A', 'C']);
    const stats = await t.pool.query(
      'select sku, buyers from product_stats where workspace_id = $1 order by sku',
      [ws],
    );
    expect(stats.rows).toEqual([
      { sku: 'A', buyers: 3 },
      { sku: 'B', buyers: 0 },
      { sku: 'C', buyers: 1 },
      { sku: 'D', buyers: 1 },
    ]);
    // The order moves to another customer (same external id, another buyer), then through upsertOrder.
    await buy(ws, 'u9', 'o1', ['A', 'D']);
    const u2 = await buy(ws, 'u2', 'o5', ['E']);
    await upsertOrder(t.db, ws, { externalId: 'o5', customerId: u2.customerId, items: lines(['E', 'B']) });
    expect(await skusOf(ws, { customerId: me.customerId })).toEqual(['B', 'C', 'D', 'E']);
    await expectInStepWithOrders();
  });

  it('stays exact under concurrent orders and batches', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    const catalog = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
    const pick = (i: number, k: number) => catalog.filter((_, j) => (i * 7 + j * k) % 3 === 0);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ingestEvent(t.db, ws, orderEvent(`c${i % 9}`, `co${i % 25}`, pick(i, 1 + (i % 4)))),
      ),
    );
    await ingestEvents(
      t.db,
      ws,
      Array.from({ length: 30 }, (_, i) => orderEvent(`c${i % 7}`, `co${i % 12}`, pick(i, 2))),
      { chunkSize: 8 },
    );
    await t.db.transaction((tx) =>
      ingestEvents(tx, ws, [orderEvent('c1', 'co3', ['P6', 'P1']), orderEvent('c2', 'co3', ['P2'])]),
    );
    await expectInStepWithOrders();
  });

  it('finds the product bought with every basket sku even when no single sku ranks it among its first', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    // A's and B's first 16 partners (limit 1 reads 16 a sku) score 2 each; Z, 17th of both, scores 4.
    const pairs = ['A', 'B'].flatMap((s) =>
      [
        ...Array.from({ length: 16 }, (_, i) => `${s === 'A' ? 'X' : 'Y'}${String(i).padStart(2, '0')}`),
        'Z',
      ].map((p) => [s, p]),
    );
    await ingestEvents(
      t.db,
      ws,
      pairs.flatMap(([s, p], i) => [1, 2].map((k) => orderEvent(`q${i}-${k}`, `qo${i}-${k}`, [s!, p!]))),
    );
    const me = await buy(ws, 'me', 'mine', ['A', 'B']);
    expect(await skusOf(ws, { customerId: me.customerId, limit: 1 })).toEqual(['Z']);
    expect(await skusOf(ws, { customerId: me.customerId, limit: 2 })).toEqual(['Z', 'X00']);
  });

  it('agrees with a count made from the orders, whether a few partners per basket sku settle it or not', async () => {
    const ws = (await seedWorkspace(t.db)).id;
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // 40 skus, a few of them popular; 90 customers with 1–3 orders of 1–6 lines.
    const sku = () => `S${String(Math.min(rnd(40), rnd(40), rnd(60))).padStart(2, '0')}`;
    const orders: Array<{ who: string; id: string; skus: string[]; at: number }> = [];
    for (let c = 0; c < 90; c++)
      for (let k = 1 + rnd(3); k > 0; k--)
        orders.push({
          who: `p${c}`,
          id: `po${orders.length}`,
          skus: Array.from({ length: 1 + rnd(6) }, sku),
          at: orders.length,
        });
    const stored = await ingestEvents(
      t.db,
      ws,
      orders.map((o) => orderEvent(o.who, o.id, o.skus, day(o.at))),
    );
    const owned = new Map<string, Set<string>>();
    for (const o of orders) for (const s of o.skus) owned.set(o.who, (owned.get(o.who) ?? new Set()).add(s));
    const count = (has: (set: Set<string>) => boolean) => [...owned.values()].filter(has).length;
    const all = [...new Set(orders.flatMap((o) => o.skus))].sort();
    const byScore = (score: (s: string) => number, skip: Set<string>) =>
      all.filter((s) => !skip.has(s) && score(s) > 0).sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1));
    for (let q = 0; q < 60; q++) {
      const i = rnd(orders.length);
      const o = orders[i]!;
      const latest = orders.filter((x) => x.who === o.who).at(-1)!;
      const mode = rnd(3);
      const skus = mode === 1 ? [sku(), sku()] : undefined;
      const basket = new Set(mode === 0 ? o.skus : mode === 1 ? skus : latest.skus);
      const excluded = new Set([...basket, ...owned.get(o.who)!]);
      const limit = 1 + rnd(4);
      const co = byScore(
        (p) => [...basket].reduce((n, b) => n + count((s) => s.has(b) && s.has(p)), 0),
        excluded,
      );
      const best = byScore((p) => count((s) => s.has(p)), new Set([...excluded, ...co.slice(0, limit)]));
      const got = await skusOf(ws, {
        customerId: stored[i]!.customerId!,
        orderId: mode === 0 ? stored[i]!.orderId : null,
        skus,
        limit,
      });
      expect(got).toEqual([...co, ...best].slice(0, limit));
    }
  });

  it("never reads another workspace's orders", async () => {
    const mine = (await seedWorkspace(t.db)).id;
    const theirs = (await seedWorkspace(t.db)).id;
    for (let i = 0; i < 3; i++) await buy(theirs, `t${i}`, `to${i}`, ['A', 'THEIRS']);
    const foreign = await buy(theirs, 'me', 'to9', ['A', 'B']);
    await buy(mine, 'u1', 'o1', ['A', 'OURS']);
    const me = await buy(mine, 'me', 'o2', ['A']);
    expect(await skusOf(mine, { customerId: me.customerId })).toEqual(['OURS']);
    // Their order, or their customer, named in this workspace: an empty basket, no exclusions of theirs.
    expect(await skusOf(mine, { customerId: me.customerId, orderId: foreign.orderId })).toEqual(['OURS']);
    expect(await skusOf(mine, { customerId: foreign.customerId, limit: 9 })).toEqual(['A', 'OURS']);
    expect(await skusOf(mine, { customerId: 'not-a-uuid', orderId: 'nope' })).toEqual(['A', 'OURS']);
  });
});
