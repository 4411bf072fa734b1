import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import {
  type AnalyticsRange,
  type JourneyTotals,
  journeyTotals,
  type NodeCounts,
  nodeCounts,
} from './analytics';

// Journey analytics at any volume. Every figure of journeyTotals / nodeCounts is a count or a sum over
// the runs that started in the range, so it adds up over days: journey_stats_daily keeps each UTC
// day's figures per version, computed by those same two functions over that one day, and a range is
// its partial first and last days (raw) plus the sum of its whole days (rollups).
//
// Exactness: triggers (migrations 0021-0022) add a journey_stats_dirty mark in the same transaction as any
// change that can move a day's figures, so a mark is visible exactly when its change is. A rollup
// counts only while no mark names its day; a marked day is read raw. The refresher serialises on the
// day (advisory lock), reads the day's marks FIRST, then recomputes and deletes only those marks: a
// change committed after the marks were read leaves a mark of its own, so nothing is ever lost, and
// the rollup and the deletion of its marks commit together.

const DAY = 86_400_000;
/**
 * Many changed days of a journey with few runs in the clean ones (a small journey right after the
 * migration, say) read faster as one raw query over the range than day by day.
 */
const MAX_RAW_SPANS = 24;
const SMALL_JOURNEY_RUNS = 20_000;
/** Raw stretches computed at once (each is a few queries; the API's pool is shared). */
const RAW_CONCURRENCY = 4;

/** Totals and per-node counts of a journey over a range, as the analytics endpoint reports them. */
export type JourneyAnalytics = { totals: JourneyTotals; nodes: NodeCounts[] };

/** One rollup row's key: a journey version's runs that started on `day` (UTC, YYYY-MM-DD). */
export type StatsDay = { workspaceId: string; journeyId: string; version: number; day: string };

type NodeSum = Exclude<keyof NodeCounts, 'nodeId' | 'skipped' | 'ports'>;
// A new numeric field of NodeCounts is a type error here until it is summed.
const NODE_SUMS = Object.keys({
  entered: 1,
  waiting: 1,
  sent: 1,
  delivered: 1,
  opened: 1,
  clicked: 1,
  replied: 1,
  unsubscribed: 1,
  failed: 1,
  conversions: 1,
  revenue: 1,
} satisfies Record<NodeSum, 1>) as NodeSum[];

const cents = (v: number) => Math.round(v * 100) / 100;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** The sum of two disjoint cohorts' figures. */
export function addAnalytics(a: JourneyAnalytics, b: JourneyAnalytics): JourneyAnalytics {
  const totals = { ...a.totals };
  for (const k of Object.keys(totals) as Array<keyof JourneyTotals>) totals[k] += b.totals[k];
  totals.revenue = cents(totals.revenue);
  const byNode = new Map(
    a.nodes.map((x) => [x.nodeId, { ...x, skipped: { ...x.skipped }, ports: { ...x.ports } }]),
  );
  for (const x of b.nodes) {
    const c = byNode.get(x.nodeId);
    if (!c) {
      byNode.set(x.nodeId, { ...x, skipped: { ...x.skipped }, ports: { ...x.ports } });
      continue;
    }
    for (const k of NODE_SUMS) c[k] += x[k];
    c.revenue = cents(c.revenue);
    addCounts(c.skipped, x.skipped);
    addCounts(c.ports, x.ports);
  }
  return { totals, nodes: [...byNode.values()].sort((p, q) => p.nodeId.localeCompare(q.nodeId)) };
}

/**
 * The figures computed from the raw rows (the definition the rollups must equal). JIT compilation is
 * off for them: the planner prices the per-message subqueries of nodeCounts far above what they cost,
 * so PostgreSQL's default settings compile and optimise them with LLVM on every call, which took 520 ms
 * of a 550 ms query over one day of a journey with a million runs (the work itself: 30 ms). `set local`
 * ends with the transaction, so it is safe behind a transaction-mode pooler.
 */
export async function rawJourneyAnalytics(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  range: AnalyticsRange,
): Promise<JourneyAnalytics> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    const totals = await journeyTotals(tx, workspaceId, journeyId, range);
    const nodes = await nodeCounts(tx, workspaceId, journeyId, range);
    return { totals, nodes };
  });
}

/** Journey analytics over `range`: whole clean days from the rollups, the rest from the raw rows. */
export async function journeyAnalytics(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  range: AnalyticsRange,
): Promise<JourneyAnalytics> {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const firstDay = Math.ceil(from / DAY) * DAY;
  const endDay = Math.floor(to / DAY) * DAY;
  if (firstDay >= endDay) return rawJourneyAnalytics(db, workspaceId, journeyId, range);
  const inRange = sql`workspace_id = ${workspaceId} and journey_id = ${journeyId}
    and day >= ${dayOf(firstDay)}::date and day < ${dayOf(endDay)}::date
    ${range.version ? sql`and version = ${range.version}` : sql``}`;
  // One statement, one snapshot: a refresh commits its rollup and the removal of its marks together.
  const res = await db.execute<{ day: string; totals: JourneyTotals | null; nodes: NodeCounts[] | null }>(sql`
    select day::text as day, totals, nodes from journey_stats_daily where ${inRange}
    union all
    select distinct day::text, null::jsonb, null::jsonb from journey_stats_dirty where ${inRange}`);
  const dirty = new Set(res.rows.filter((r) => !r.totals).map((r) => r.day));

  const spans: Array<[number, number]> = [];
  const addSpan = (a: number, b: number) => {
    const last = spans.at(-1);
    if (a >= b) return;
    if (last && last[1] === a) last[1] = b;
    else spans.push([a, b]);
  };
  addSpan(from, firstDay);
  for (const d of [...dirty].sort())
    addSpan(Date.parse(`${d}T00:00:00Z`), Date.parse(`${d}T00:00:00Z`) + DAY);
  addSpan(endDay, to);

  let sum: JourneyAnalytics = {
    totals: {
      entries: 0,
      active: 0,
      completions: 0,
      exited: 0,
      failed: 0,
      cancelled: 0,
      conversions: 0,
      revenue: 0,
    },
    nodes: [],
  };
  for (const r of res.rows)
    if (r.totals && r.nodes && !dirty.has(r.day))
      sum = addAnalytics(sum, { totals: r.totals, nodes: r.nodes });
  if (spans.length > MAX_RAW_SPANS && sum.totals.entries < SMALL_JOURNEY_RUNS)
    return rawJourneyAnalytics(db, workspaceId, journeyId, range);
  for (let i = 0; i < spans.length; i += RAW_CONCURRENCY) {
    const raws = await Promise.all(
      spans.slice(i, i + RAW_CONCURRENCY).map(([a, b]) =>
        rawJourneyAnalytics(db, workspaceId, journeyId, {
          from: new Date(a),
          to: new Date(b),
          version: range.version,
        }),
      ),
    );
    for (const r of raws) sum = addAnalytics(sum, r);
  }
  return sum;
}

/** Recomputes one day's rollup from the raw rows; false when another refresh had already done it. */
export async function refreshStatsDay(db: Executor, key: StatsDay): Promise<boolean> {
  return db.transaction(async (tx) => {
    const lockKey = `journey_stats:${key.workspaceId}:${key.journeyId}:${key.version}:${key.day}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
    const where = sql`workspace_id = ${key.workspaceId} and journey_id = ${key.journeyId}
      and version = ${key.version} and day = ${key.day}::date`;
    // The marks are read before the figures: whatever they cover is in what is computed next.
    const marks = await tx.execute<{ id: string }>(sql`select id from journey_stats_dirty where ${where}`);
    if (marks.rows.length === 0) return false;
    const from = new Date(`${key.day}T00:00:00Z`);
    const day = await rawJourneyAnalytics(tx, key.workspaceId, key.journeyId, {
      from,
      to: new Date(from.getTime() + DAY),
      version: key.version,
    });
    if (day.totals.entries === 0) await tx.execute(sql`delete from journey_stats_daily where ${where}`);
    else
      await tx.execute(sql`
        insert into journey_stats_daily (workspace_id, journey_id, version, day, totals, nodes)
        values (${key.workspaceId}, ${key.journeyId}, ${key.version}, ${key.day}::date,
          ${JSON.stringify(day.totals)}::jsonb, ${JSON.stringify(day.nodes)}::jsonb)
        on conflict (workspace_id, journey_id, version, day)
        do update set totals = excluded.totals, nodes = excluded.nodes, refreshed_at = now()`);
    const ids = marks.rows.map((m) => String(m.id));
    await tx.execute(sql`delete from journey_stats_dirty where id = any(${`{${ids.join(',')}}`}::bigint[])`);
    return true;
  });
}

/**
 * One refresher pass: dirty days, oldest mark first, `batch` at a time, until none is left or the time
 * budget is spent. Safe to run from several processes at once.
 */
export async function refreshJourneyStats(
  db: Executor,
  opts: { budgetMs?: number; batch?: number } = {},
): Promise<{ days: number; failed: number; remaining: boolean }> {
  const deadline = Date.now() + (opts.budgetMs ?? 30_000);
  const batch = opts.batch ?? 50;
  let days = 0;
  let failed = 0;
  const skip = new Set<string>();
  // Only the marks present when the pass starts: a day that keeps changing is not refreshed in a loop.
  const top = await db.execute<{ id: string | null }>(sql`select max(id) as id from journey_stats_dirty`);
  const last = top.rows[0]?.id;
  if (last == null) return { days, failed, remaining: false };
  for (;;) {
    const res = await db.execute<{
      workspace_id: string;
      journey_id: string;
      version: number;
      day: string;
    }>(sql`
      select workspace_id, journey_id, version, day::text as day from journey_stats_dirty
      where id <= ${last}::bigint
      group by 1, 2, 3, 4 order by min(id) limit ${batch + skip.size}`);
    const keys = res.rows
      .map((r) => ({ workspaceId: r.workspace_id, journeyId: r.journey_id, version: r.version, day: r.day }))
      .filter((k) => !skip.has(JSON.stringify(k)));
    if (keys.length === 0) return { days, failed, remaining: false };
    for (const k of keys) {
      if (Date.now() >= deadline) return { days, failed, remaining: true };
      try {
        if (await refreshStatsDay(db, k)) days++;
      } catch {
        // A day that cannot be computed now (its workspace being deleted…) stays marked for next time.
        failed++;
        skip.add(JSON.stringify(k));
      }
    }
  }
}

/** Marks every day of a workspace's runs dirty: for bulk loads that bypass the triggers. */
export async function markJourneyStatsDirty(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`
    insert into journey_stats_dirty (workspace_id, journey_id, version, day)
    select distinct workspace_id, journey_id, version, (started_at at time zone 'UTC')::date
    from journey_runs where workspace_id = ${workspaceId}`);
}
