import { createJourney, publishVersion } from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph, testPlan } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourneyStatsRefresher } from './journey-stats';

// The refresher running in the API process turns the days marked by new runs into rollups on its own.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('journey_stats_refresher');
});
afterAll(async () => {
  await t?.drop();
});

describe('journey analytics refresher', () => {
  it('recomputes the marked days in the background and clears their marks', async () => {
    const ws = await seedWorkspace(t.db, 'Refresher');
    const journey = await createJourney(t.db, ws.id, { name: 'Refresher', draftGraph: testGraph() });
    await publishVersion(t.db, ws.id, journey.id, {
      graph: testGraph(),
      plan: testPlan(),
      planHash: '0'.repeat(64),
    });
    const { rows } = await t.pool.query(
      "insert into customers (workspace_id, external_id) values ($1, 'c1') returning id",
      [ws.id],
    );
    for (const [i, day] of ['2026-03-01T10:00:00Z', '2026-03-01T23:59:59Z', '2026-03-04T00:00:00Z'].entries())
      await t.pool.query(
        `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id, status, started_at)
         values ($1, $2, $3, 1, $4, 'completed', $5)`,
        [ws.id, `wf-refresher-${i}`, journey.id, rows[0].id, day],
      );
    const marked = await t.pool.query('select count(*)::int as n from journey_stats_dirty');
    expect(marked.rows[0].n).toBeGreaterThan(0);

    const logs: string[] = [];
    const log = {
      info: (_: object, m: string) => logs.push(m),
      warn: (_: object, m: string) => logs.push(m),
    };
    const refresher = startJourneyStatsRefresher({ db: t.db, intervalMs: 50, log });
    try {
      for (let i = 0; i < 200; i++) {
        const left = await t.pool.query('select count(*)::int as n from journey_stats_dirty');
        if (left.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await refresher.stop();
    }
    const daily = await t.pool.query(
      "select day::text as day, (totals->>'entries')::int as entries, (totals->>'completions')::int as completions from journey_stats_daily order by day",
    );
    expect(daily.rows).toEqual([
      { day: '2026-03-01', entries: 2, completions: 2 },
      { day: '2026-03-04', entries: 1, completions: 1 },
    ]);
    expect((await t.pool.query('select count(*)::int as n from journey_stats_dirty')).rows[0].n).toBe(0);
    expect(logs).not.toContain('journey analytics refresh failed');
  });
});
