import type { Rule } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { customerMatchesRule, customerMatchesRuleQuery, previewRuleQueries } from './segments';

// One customer's segment membership answers a branch or an entry rule while a run waits: it must stay a
// few index pages however busy the customer is. A heavy shopper with 11,000 events (5,000 of the wanted
// type) is EXPLAINed: the performed-event condition may not read the customer's whole history.

const EVENTS = 6_000;
let t: TestDatabase;
let ws: string;
const ids: Record<'heavy' | 'idle', string> = { heavy: '', idle: '' };

const viewed = (atLeast: number, withinDays: number | null): Rule => ({
  all: [
    { field: 'customer.stats.ordersCount', op: 'gte', value: 2 },
    { field: 'customer.attributes.plan', op: 'in', value: ['gold', 'silver'] },
    { performed: { eventType: 'product.viewed', atLeast, withinDays } },
  ],
});

beforeAll(async () => {
  t = await freshDatabase('membership_plan');
  ws = (await seedWorkspace(t.db, 'Membership')).id;
  for (const name of ['heavy', 'idle'] as const) {
    const { rows } = await t.pool.query<{ id: string }>(
      `insert into customers (workspace_id, external_id, orders_count, attributes)
       values ($1, $2, 40, '{"plan": "gold"}') returning id`,
      [ws, name],
    );
    ids[name] = rows[0]!.id;
  }
  // Both browse every few hours for two years; the heavy one also viewed 5,000 products in the last
  // 52 days, the idle one as many, but over 100 days ago.
  await t.pool.query(
    `insert into events (workspace_id, id, type, customer_id, occurred_at)
     select $1, c.name || g, 'page.viewed', c.id, now() - g * interval '3 hours'
     from generate_series(1, $2::int) g, (values ('heavy', $3::uuid), ('idle', $4::uuid)) c(name, id)`,
    [ws, EVENTS, ids.heavy, ids.idle],
  );
  await t.pool.query(
    `insert into events (workspace_id, id, type, customer_id, occurred_at)
     select $1, c.name || '-pv' || g, 'product.viewed', c.id, now() - c.ago - g * interval '15 minutes'
     from generate_series(1, 5000) g,
          (values ('heavy', $2::uuid, interval '0 days'), ('idle', $3::uuid, interval '100 days')) c(name, id, ago)`,
    [ws, ids.heavy, ids.idle],
  );
  // Everyone else views products all the time: the event type alone narrows nothing down.
  await t.pool.query(
    `with crowd as (insert into customers (workspace_id) select $1 from generate_series(1, 50) returning id)
     insert into events (workspace_id, id, type, customer_id, occurred_at)
     select $1, 'crowd' || c.id || '-' || g, 'product.viewed', c.id, now() - g * interval '5 hours'
     from crowd c, generate_series(1, 400) g`,
    [ws],
  );
  // The test server commits asynchronously: a checkpoint flushes the commits first, or vacuum could not
  // yet mark the new rows visible to everyone (which index-only reads need, as autovacuum provides).
  await t.pool.query('checkpoint');
  await t.pool.query('vacuum analyze events, customers');
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

const matches = (who: keyof typeof ids, rule: Rule) =>
  customerMatchesRule(t.db, ws, ids[who], rule, () => undefined);

describe('one customer’s segment membership', () => {
  it('counts the performed events in the window as before', async () => {
    expect(await matches('heavy', viewed(1, 90))).toBe(true);
    expect(await matches('heavy', viewed(5000, 90))).toBe(true);
    expect(await matches('heavy', viewed(5001, null))).toBe(false);
    expect(await matches('idle', viewed(1, 90))).toBe(false);
    expect(await matches('idle', viewed(5000, null))).toBe(true);
  });

  it('reads a few index pages, not the heavy customer’s history', async () => {
    for (const [who, rule] of [
      ['heavy', viewed(1, 90)],
      ['heavy', viewed(3, null)],
      ['idle', viewed(1, 90)],
    ] as const) {
      const { sql, params } = customerMatchesRuleQuery(t.db, ws, ids[who], rule, () => undefined).toSQL();
      const { rows } = await t.pool.query(`explain (analyze, buffers, format json) ${sql}`, params);
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      const pages = Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);
      const text = JSON.stringify(plan);
      expect(text, who).not.toContain('Seq Scan');
      expect(pages, `${who}: ${text}`).toBeLessThan(12);
    }
  });
});

describe('a segment preview over every customer', () => {
  it('reads the customers who performed the event from the type index alone', async () => {
    const { sql, params } = previewRuleQueries(t.db, ws, viewed(1, 90), () => undefined).count.toSQL();
    // Whatever this small table's cheapest plan is, the events side of the preview must be answerable
    // without the heap (at a million customers that was 129,000 heap pages and half of its second).
    const client = await t.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      await client.query('set local enable_bitmapscan = off');
      const { rows } = await client.query(`explain (analyze, format json) ${sql}`, params);
      const text = JSON.stringify(rows[0]['QUERY PLAN'][0].Plan);
      expect(text).toMatch(/"Node Type":"Index Only Scan"[^{}]*"Index Name":"events_workspace_type_idx"/);
      expect(text).toContain('"Heap Fetches":0');
      await client.query('rollback');
    } finally {
      client.release();
    }
    const [{ n }] = (await previewRuleQueries(t.db, ws, viewed(1, 90), () => undefined).count) as [
      { n: number },
    ];
    expect(n).toBe(1);
  });
});
