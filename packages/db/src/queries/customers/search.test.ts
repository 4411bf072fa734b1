import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { searchCustomers, searchCustomersQuery } from './customers';

// Customer search must stay an index read as a workspace grows to a million customers: every way of
// finding someone (email or name prefix in any case, full name, exact external id or phone) is
// EXPLAINed against 20,000 customers and may touch only a few of the table's pages.

const CUSTOMERS = 20_000;
let t: TestDatabase;
let ws: string;

beforeAll(async () => {
  t = await freshDatabase('customer_search');
  ws = (await seedWorkspace(t.db, 'Search')).id;
  await t.pool.query(
    `insert into customers (workspace_id, external_id, email, phone, first_name, last_name, created_at)
     select $1, 'ext' || g, 'Shopper' || g || '@Example.com', '+3360000' || g, 'Ada' || g, 'Love' || g,
            now() - g * interval '1 minute'
     from generate_series(1, $2::int) g`,
    [ws, CUSTOMERS],
  );
  await t.pool.query(
    `insert into customers (workspace_id, external_id, email, first_name, last_name)
     values ($1, 'odd', '100%_off@example.com', 'Zoe', 'Aberg')`,
    [ws],
  );
  await t.pool.query('analyze customers');
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

const found = async (query: string) =>
  (await searchCustomers(t.db, ws, { query })).map((c) => c.externalId).sort();

describe('customer search', () => {
  it('finds by email or name prefix in any case, full name, external id and phone', async () => {
    expect(await found('shopper1234@')).toEqual(['ext1234']);
    expect(await found('ADA12345')).toEqual(['ext12345']);
    expect(await found('love12345')).toEqual(['ext12345']);
    expect(await found('ada777 love')).toEqual(['ext777']);
    expect(await found('ext42')).toEqual(['ext42']);
    expect(await found('+33600001')).toEqual(['ext1']);
    expect(await found('ZOE ab')).toEqual(['odd']);
    // LIKE's wildcards are the shopper's characters, not patterns.
    expect(await found('100%_')).toEqual(['odd']);
    expect(await found('1%')).toEqual([]);
  });

  it('reads a few pages however many customers the workspace has', async () => {
    const { rows: size } = await t.pool.query<{ pages: number }>(
      "select relpages as pages from pg_class where relname = 'customers'",
    );
    for (const query of ['shopper1234@ex', 'Ada1234', 'love1234', 'ada1234 love', 'ext1234', '+336000012']) {
      const { sql, params } = searchCustomersQuery(t.db, ws, { query }).toSQL();
      const { rows } = await t.pool.query(`explain (analyze, buffers, format json) ${sql}`, params);
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      const pages = Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);
      expect(JSON.stringify(plan), query).not.toContain('Seq Scan');
      expect(pages, query).toBeLessThan(Math.min(120, size[0]!.pages / 4));
    }
  });
});
