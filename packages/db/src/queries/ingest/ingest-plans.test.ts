import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { type Compiled, MOVED_FROM_SETTING, RECOMPUTE_SETTING } from './ingest-sql';
import {
  lockCustomerStatement,
  lockMovedFromStatement,
  recomputeFlaggedStatement,
  recomputeStatsStatement,
  storedEventsStatement,
} from './ingest-sql-around';

// Ingest's statements are prepared once per connection and soon run from a generic plan. A plan made
// while the tables were empty must still read a handful of pages once the workspace holds thousands
// of customers, orders and events: each statement is prepared on empty tables, then run against a
// populated workspace, and the pages it reads are counted.

const CUSTOMERS = 3000;
let t: TestDatabase;
let ws: string;

/** A SQL literal of a statement's parameter value. */
const literal = (v: unknown): string => {
  if (Array.isArray(v)) return `'{${v.join(',')}}'`;
  return `'${String(v)}'`;
};

/** Shared buffers a statement's plan touched (hit or read), from EXPLAIN (ANALYZE, BUFFERS). */
const pagesOf = (plan: Record<string, unknown>): number =>
  Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);

beforeAll(async () => {
  t = await freshDatabase('ingest_plans');
  ws = (await seedWorkspace(t.db, 'Plans')).id;
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe('ingest statements on generic plans made while the tables were empty', () => {
  it('read a few pages, not the workspace, whether or not anything was flagged', async () => {
    const statements: Record<string, Compiled> = {
      lockMovedFrom: lockMovedFromStatement,
      recomputeFlagged: recomputeFlaggedStatement,
      recomputeStats: recomputeStatsStatement,
      lockCustomer: lockCustomerStatement,
      storedEvents: storedEventsStatement,
    };
    const client = await t.pool.connect();
    const names = Object.keys(statements);
    /** Runs every statement in one transaction (flagged: two customers left to lock and recompute). */
    const runAll = async (flagged: boolean, values: Record<string, unknown>) => {
      const pages: Record<string, number> = {};
      await client.query('begin');
      try {
        const list = flagged ? (values.ids as string[]).join(',') : '';
        for (const setting of [RECOMPUTE_SETTING, MOVED_FROM_SETTING])
          await client.query('select set_config($1, $2, true)', [setting, list]);
        for (const name of names) {
          const st = statements[name]!;
          const args = st.slots.map((s) =>
            literal(
              typeof s !== 'string'
                ? s.value
                : name === 'storedEvents' && s === 'ids'
                  ? values.eventIds
                  : values[s],
            ),
          );
          const res = await client.query(
            `explain (analyze, buffers, format json) execute ${name}(${args.join(', ')})`,
          );
          pages[name] = pagesOf(
            (res.rows[0]['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan,
          );
        }
      } finally {
        await client.query('rollback');
      }
      return pages;
    };
    try {
      await client.query('set plan_cache_mode = force_generic_plan');
      for (const name of names) await client.query(`prepare ${name} as ${statements[name]!.text}`);
      // Each generic plan is made at its first run: here, on empty tables.
      const none = '00000000-0000-4000-8000-000000000000';
      await runAll(true, { ws, ids: [none], id: none, eventIds: ['x'] });

      await t.pool.query(
        `insert into customers (workspace_id, external_id, email)
         select $1, 'c' || g, 'c' || g || '@example.com' from generate_series(1, $2::int) g`,
        [ws, CUSTOMERS],
      );
      await t.pool.query(
        `insert into orders (workspace_id, external_id, customer_id, total, currency, placed_at)
         select workspace_id, 'o-' || external_id, id, 10, 'USD', now() from customers where workspace_id = $1`,
        [ws],
      );
      await t.pool.query(
        `insert into events (workspace_id, id, type, customer_id, occurred_at)
         select workspace_id, 'e-' || external_id, 'order.placed', id, now() from customers where workspace_id = $1`,
        [ws],
      );
      const ids = (
        await t.pool.query('select id from customers where workspace_id = $1 order by id limit 2', [ws])
      ).rows.map((r) => r.id as string);
      const values = { ws, ids, id: ids[0], eventIds: ['e-c1', 'e-c2', 'e-none'] };
      const quiet = await runAll(false, values);
      const flagged = await runAll(true, values);
      // A walk of the workspace's customers reads thousands of pages; a lookup per id (and the update of two rows and their index entries), a hundred or so.
      for (const name of names) {
        const seen = `${name}: ${quiet[name]} pages with nothing flagged, ${flagged[name]} with two customers`;
        expect(quiet[name], seen).toBeLessThan(300);
        expect(flagged[name], seen).toBeLessThan(300);
      }
      // Nothing flagged: the flagged-work statements stop before reading a page.
      expect(quiet.lockMovedFrom).toBe(0);
      expect(quiet.recomputeFlagged).toBe(0);
    } finally {
      client.release();
    }
  }, 60_000);
});
