import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { type IngestInput, ingestEvent } from './ingest';
import { analyzeNewTables } from './table-stats';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('table_stats');
  // Only what the code under test analyzes counts: autovacuum stays out of this database's tables.
  for (const table of ['customers', 'orders', 'events', 'event_outbox'])
    await t.pool.query(`alter table ${table} set (autovacuum_enabled = false)`);
});
afterAll(async () => {
  await t?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When `table` was last analyzed by an ANALYZE command, or null. */
const lastAnalyze = async (table: string): Promise<Date | null> =>
  (await t.pool.query('select last_analyze from pg_stat_user_tables where relname = $1', [table])).rows[0]
    ?.last_analyze ?? null;

/** Waits until the statistics collector counts at least `n` writes to `table` since its last analyze. */
async function untilWritesCounted(table: string, n: number) {
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.pool.query(
      'select n_mod_since_analyze as n from pg_stat_user_tables where relname = $1',
      [table],
    );
    if (Number(rows[0]?.n ?? 0) >= n) return;
    await sleep(100);
  }
  throw new Error(`${table}: fewer than ${n} writes counted`);
}

describe('analyzing new ingest tables', () => {
  it('analyzes only the never-analyzed tables that have grown, once', async () => {
    const ws = await seedWorkspace(t.db, 'Grown');
    await t.pool.query(
      `insert into customers (workspace_id, external_id)
       select $1, 'g' || g from generate_series(1, 1200) g`,
      [ws.id],
    );
    await untilWritesCounted('customers', 1200);
    const first = await analyzeNewTables(t.pool, ['customers', 'orders'], 1000);
    expect(first).toEqual({ analyzed: ['customers'], allAnalyzed: false });
    expect(await lastAnalyze('customers')).not.toBeNull();
    expect(await lastAnalyze('orders')).toBeNull();
    // Once analyzed, a table is autovacuum's to keep current.
    const again = await analyzeNewTables(t.pool, ['customers'], 1000);
    expect(again).toEqual({ analyzed: [], allAnalyzed: true });
  });

  it('is started by ingest itself after its first thousand events', async () => {
    const ws = await seedWorkspace(t.db, 'Ingest');
    expect(await lastAnalyze('events')).toBeNull();
    const event = (i: number): IngestInput => ({
      event: { id: `ev-${i}`, type: 'order.placed', occurredAt: new Date(), properties: {} },
      customer: { externalId: `c-${i % 300}` },
      order: { externalId: `o-${i}`, total: 5 },
    });
    // Concurrent single events, as the API receives them (they go through group commit). A check runs
    // in the background after each thousand; PostgreSQL's write counts lag by a second or so, so it may
    // take a later check to find the tables due.
    for (let wave = 0; wave < 80 && (await lastAnalyze('events')) === null; wave++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => ingestEvent(t.db, ws.id, event(wave * 100 + j))),
      );
    }
    expect(await lastAnalyze('events')).not.toBeNull();
    expect(await lastAnalyze('orders')).not.toBeNull();
  }, 60_000);
});
