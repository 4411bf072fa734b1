import type pg from 'pg';

// Cold start. A statement prepared once per connection (ingest's own, and the foreign-key checks
// PostgreSQL runs on every insert, which it also keeps per connection) is planned from the statistics
// at hand. On a table never analyzed, a plan made while the table was small may pick any index that
// leads with workspace_id and filter the rest, and it is kept: measured on the ingest bench, the
// check of an order's customer walked the workspace's customers on every insert, up to 7 ms each at
// 5,000 customers. Autovacuum analyzes a table about a minute into a load, and an analyze makes every
// connection plan again; until then, ingest does it (see StatsWarmup).

/**
 * The tables every ingested event writes or checks a foreign key against, and those its journey runs
 * write (the worker's inserts check their run the same way).
 */
export const WARMUP_TABLES = [
  'customers',
  'orders',
  'events',
  'event_outbox',
  'order_items',
  'product_stats',
  'product_pairs',
  'journey_runs',
  'run_steps',
  'run_step_attempts',
  'messages',
] as const;

/** Rows a never-analyzed table must have had written before it is worth analyzing. */
export const WARMUP_MIN_ROWS = 500;

/** Ingested events between two checks (PostgreSQL counts writes with a delay of a second or more). */
export const WARMUP_EVERY = 1000;

/**
 * Analyzes those of `tables` (in the connection's schema) that were never analyzed, by hand or by
 * autovacuum, and have had at least `minRows` rows written. Returns the tables it analyzed and whether
 * every one of `tables` has now been analyzed at least once.
 */
export async function analyzeNewTables(
  pool: pg.Pool,
  tables: readonly string[] = WARMUP_TABLES,
  minRows = WARMUP_MIN_ROWS,
): Promise<{ analyzed: string[]; allAnalyzed: boolean }> {
  const { rows } = await pool.query<{ relname: string; never: boolean; due: boolean }>(
    `select relname,
       last_analyze is null and last_autoanalyze is null as never,
       n_mod_since_analyze >= $2 as due
     from pg_stat_user_tables
     where schemaname = current_schema() and relname = any ($1::text[])`,
    [tables, minRows],
  );
  const analyzed: string[] = [];
  for (const r of rows) {
    if (!r.never || !r.due) continue;
    // The name comes from the catalog and from the fixed list above; quoted all the same.
    await pool.query(`analyze "${r.relname.replaceAll('"', '""')}"`);
    analyzed.push(r.relname);
  }
  const pending = rows.filter((r) => r.never && !analyzed.includes(r.relname)).length;
  return { analyzed, allAnalyzed: rows.length === tables.length && pending === 0 };
}

/** Checks a pool makes at most: by then autovacuum has long analyzed whatever a role may not. */
export const WARMUP_MAX_CHECKS = 20;

/**
 * Per pool: after every `every` ingested events, analyzes the ingest tables that were never analyzed
 * (in the background; a request never waits for it), until all of them have been analyzed once.
 * After that autovacuum keeps the statistics current and this costs nothing. A failure stops it, and
 * so does the last of WARMUP_MAX_CHECKS checks (a role that does not own a table gets a warning from
 * ANALYZE, not an error): the plans are then as good as autovacuum makes them.
 */
export class StatsWarmup {
  private count = 0;
  private checks = 0;
  private running = false;
  private done = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly every = WARMUP_EVERY,
  ) {}

  /** Notes `n` more ingested events; may start a check in the background. */
  note(n: number): void {
    if (this.done) return;
    const before = Math.floor(this.count / this.every);
    this.count += n;
    if (this.running || Math.floor(this.count / this.every) === before) return;
    this.running = true;
    if (++this.checks >= WARMUP_MAX_CHECKS) this.done = true;
    void analyzeNewTables(this.pool)
      .then((r) => {
        if (r.allAnalyzed) this.done = true;
      })
      .catch(() => {
        this.done = true;
      })
      .finally(() => {
        this.running = false;
      });
  }
}

const warmups = new WeakMap<pg.Pool, StatsWarmup>();

/** Notes events ingested through `pool` (see StatsWarmup). */
export function noteIngested(pool: pg.Pool, n: number): void {
  let w = warmups.get(pool);
  if (!w) {
    w = new StatsWarmup(pool);
    warmups.set(pool, w);
  }
  w.note(n);
}
