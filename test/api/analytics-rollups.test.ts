import { createHash, randomBytes } from 'node:crypto';
import { createApiKey, journeyTotals, nodeCounts, refreshJourneyStats } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRun, at, buildHistory, DAY, engage, type History, today } from './analytics-rollups-fixtures';
import { type Harness, harness, withKey } from './harness';

// Journey analytics read whole days from the daily rollups: every figure the endpoint returns equals
// journeyTotals / nodeCounts over the raw rows, for aligned and partial ranges, one version or all, and
// keeps equalling them right after any change, before the refresher has run.

let h: Harness;
let key = '';
let hist: History;

const TOTALS = [
  'entries',
  'active',
  'completions',
  'exited',
  'failed',
  'cancelled',
  'conversions',
  'revenue',
] as const;

/** The ranges every check covers: [from, to, version?]. */
const ranges = (): Array<[Date, Date, number?]> => [
  [at(30), new Date(today + DAY)],
  [at(5), at(1)],
  [at(5, 13), at(1, 7.5)],
  [at(4, 2), at(2)],
  [at(6), at(0), 1],
  [at(6, 5), at(0), 2],
  [at(3, 1), at(3, 18)],
];

async function endpoint(from: Date, to: Date, version?: number) {
  const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if (version) q.set('version', String(version));
  const res = await h.app.inject(
    withKey(key, { method: 'GET', url: `/v1/journeys/${hist.journeyId}/analytics?${q}` }),
  );
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return {
    totals: Object.fromEntries(TOTALS.map((k) => [k, body[k]])),
    nodes: body.nodes.filter((n: { nodeId: string }) => n.nodeId !== 'start'),
  };
}

/** Every range through the endpoint equals the raw computation over the same range. */
async function expectExact(label: string) {
  for (const [from, to, version] of ranges()) {
    const range = { from, to, version };
    const [totals, nodes] = await Promise.all([
      journeyTotals(h.t.db, hist.workspaceId, hist.journeyId, range),
      nodeCounts(h.t.db, hist.workspaceId, hist.journeyId, range),
    ]);
    expect(
      await endpoint(from, to, version),
      `${label}: ${from.toISOString()} → ${to.toISOString()} v${version}`,
    ).toEqual({
      totals,
      nodes,
    });
  }
}

const count = async (table: string) =>
  Number(
    (await h.t.pool.query(`select count(*) from ${table} where journey_id = $1`, [hist.journeyId])).rows[0]
      .count,
  );

beforeAll(async () => {
  h = await harness('api_analytics_rollups');
  hist = await buildHistory(h.t.db, h.t.pool);
  key = `hg_test_read_${randomBytes(16).toString('hex')}`;
  await createApiKey(h.t.db, hist.workspaceId, {
    name: 'read',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['read'],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('journey analytics rollups', () => {
  it('before any refresh every day is marked and the figures are the raw ones', async () => {
    expect(await count('journey_stats_dirty')).toBeGreaterThan(0);
    expect(await count('journey_stats_daily')).toBe(0);
    await expectExact('unrefreshed');
  });

  it('the refresher builds one rollup per version and day, and the endpoint reads them', async () => {
    const pass = await refreshJourneyStats(h.t.db);
    expect(pass).toMatchObject({ failed: 0, remaining: false });
    expect(await count('journey_stats_dirty')).toBe(0);
    // Six days, two versions each.
    expect(await count('journey_stats_daily')).toBe(12);
    const all = await endpoint(at(30), new Date(today + DAY));
    // The history is not trivial: every kind of figure has something to count.
    expect(all.totals.entries).toBe(36);
    for (const k of ['conversions', 'revenue', 'completions', 'active', 'failed'] as const)
      expect(all.totals[k], k).toBeGreaterThan(0);
    const email = all.nodes.find((n: { nodeId: string }) => n.nodeId === 'email');
    for (const k of ['sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'failed', 'conversions'])
      expect(email[k], k).toBeGreaterThan(0);
    expect(all.nodes.find((n: { nodeId: string }) => n.nodeId === 'sms').replied).toBeGreaterThan(0);
    await expectExact('refreshed');

    // The whole days really come from the rollups: a doctored rollup shows (and is then put back).
    const day = new Date(at(3)).toISOString().slice(0, 10);
    await h.t.pool.query(
      `update journey_stats_daily set totals = jsonb_set(totals, '{entries}', '1000') where journey_id = $1 and day = $2 and version = 1`,
      [hist.journeyId, day],
    );
    expect((await endpoint(at(5), at(1))).totals.entries).toBe(24 - 3 + 1000);
    await h.t.pool.query(
      `update journey_stats_daily set totals = jsonb_set(totals, '{entries}', '3') where journey_id = $1 and day = $2 and version = 1`,
      [hist.journeyId, day],
    );
    await expectExact('restored');
  });

  it('follows every change immediately, before the refresher runs again', async () => {
    const { pool } = h.t;
    const changes: Array<[string, () => Promise<unknown>]> = [
      [
        'a message opened',
        () => engage(pool, hist, 'message.opened', hist.runs[2]!.messages.s_email!, at(6, 20)),
      ],
      [
        'a click on an SMS',
        () => engage(pool, hist, 'message.clicked', hist.runs[20]!.messages.s_sms!, at(2, 23)),
      ],
      [
        'a run completes',
        () =>
          pool.query(
            "update journey_runs set status = 'completed', current_step = null, ended_at = now() where id = $1",
            [hist.runs[0]!.id],
          ),
      ],
      [
        'a waiting run moves on',
        () =>
          pool.query(
            "update run_steps set finished_at = now(), outcome = 'ok' where step_id = 's_wait' and finished_at is null",
          ),
      ],
      [
        'a conversion',
        () =>
          pool.query(
            "update journey_runs set converted_at = started_at + interval '5 hours', revenue = 99.95 where id = $1",
            [hist.runs[1]!.id],
          ),
      ],
      [
        'a new run on an old day',
        () => addRun(pool, hist, { version: 1, startedAt: at(4, 11), customer: 2, seed: 44 }),
      ],
      [
        'an unsubscribe',
        () =>
          pool.query(
            "insert into suppressions (workspace_id, channel, address, reason, created_at) values ($1, 'sms', $2, 'stop', $3)",
            [hist.workspaceId, hist.customers[1]!.phone, at(2, 12)],
          ),
      ],
      [
        'a message sent between a message and the unsubscribe that followed it',
        () =>
          pool.query(
            `insert into messages (workspace_id, run_id, step_id, customer_id, journey_id, channel, provider, idempotency_key,
               to_address, status, created_at, sent_at)
             select workspace_id, null, null, customer_id, null, 'email', 'outbox', 'between-' || id, to_address, 'delivered', $2, $2
             from messages where to_address = $1 and channel = 'email' limit 1`,
            [hist.customers[0]!.email, at(3, 22.5)],
          ),
      ],
      ['the STOP is lifted', () => pool.query("delete from suppressions where channel = 'sms'")],
      [
        'a discount code redeemed',
        () =>
          pool.query(
            `insert into discount_codes (workspace_id, code, kind, value, customer_id, run_id, journey_id, idempotency_key, redeemed_at)
             select workspace_id, 'LATE5', 'amount', 5, customer_id, id, journey_id, 'late-code', started_at + interval '4 days'
             from journey_runs where id = $1`,
            [hist.runs[8]!.id],
          ),
      ],
      ['a run deleted', () => pool.query('delete from journey_runs where id = $1', [hist.runs[30]!.id])],
    ];
    for (const [label, change] of changes) {
      const before = await endpoint(at(30), new Date(today + DAY));
      await change();
      await expectExact(label);
      expect(await count('journey_stats_dirty'), label).toBeGreaterThan(0);
      expect(await endpoint(at(30), new Date(today + DAY)), `${label} moved a figure`).not.toEqual(before);
      await refreshJourneyStats(h.t.db);
      expect(await count('journey_stats_dirty'), label).toBe(0);
      await expectExact(`${label}, refreshed`);
    }
  }, 120_000);
});
