import type pg from 'pg';
import type { Compiled } from './ingest-sql';

/** One statement of a pipelined transaction. */
export type PipelinedStatement = { statement: Compiled; values: unknown[] };

// node-postgres' pipeline mode (a Client option) is switched on for one checkout only: the pooled
// connection is shared with code that may use cursors, which pipeline mode refuses.
type PipelineClient = pg.PoolClient & {
  pipeline: boolean;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
};

/** Sends every query at once and waits for all of them; the first failure is thrown after all settled. */
async function sendAll(client: PipelineClient, queries: Array<PipelinedStatement | string>) {
  // Corked, the messages of all queries leave in one write instead of one per query.
  const stream = client.connection?.stream;
  stream?.cork?.();
  let sent: Array<Promise<pg.QueryResult>>;
  try {
    sent = queries.map((q) =>
      typeof q === 'string'
        ? client.query(q)
        : client.query({ name: q.statement.name, text: q.statement.text, values: q.values }),
    );
  } finally {
    stream?.uncork?.();
  }
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value.rows);
}

/**
 * A transaction in one round trip on one pooled connection: BEGIN, `statements` and COMMIT are written
 * together (PostgreSQL still runs them one after the other, each statement with its own snapshot), and
 * their rows come back together. Any failure rolls the whole transaction back (after a failed statement
 * PostgreSQL refuses the rest and answers COMMIT with ROLLBACK) and is thrown.
 */
export async function pipelinedTransaction(
  pool: pg.Pool,
  statements: PipelinedStatement[],
): Promise<unknown[][]> {
  const client = (await pool.connect()) as PipelineClient;
  let broken: Error | undefined;
  client.pipeline = true;
  try {
    const rows = await sendAll(client, ['begin', ...statements, 'commit']);
    return rows.slice(1, -1);
  } catch (err) {
    await client.query('rollback').catch((e: Error) => {
      broken = e; // the connection is unusable: the pool discards it
    });
    throw err;
  } finally {
    client.pipeline = false;
    client.release(broken);
  }
}

/** Runs `fn` again (up to four times in all) when PostgreSQL aborted it on a deadlock or serialization failure. */
export async function retryConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 4 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}

/**
 * At most this many single-event ingest transactions of one pool run at once; what arrives meanwhile
 * is committed together when a slot frees (see GroupCommit). Concurrent ingest transactions contend
 * inside PostgreSQL (the right-most pages of the time- and sequence-ordered indexes, the workspace row
 * every foreign key check locks), and a transaction's fixed cost (BEGIN, COMMIT, the locking
 * statement, a round trip through a busy event loop, a WAL flush) is paid once per group. On a 2-core
 * machine (bench/src/ingest.bench.ts, single events against a bare one-row insert route), two slots
 * with groups of 10 to 30 events under load took single-event ingest from 0.20 to 0.38-0.50 of the
 * bare route's throughput under `npm run bench` (fsync on), and from 0.25 to 0.63-0.70 with fsync off;
 * one slot did as well, four and eight slots worse.
 */
export const INGEST_CONCURRENCY = 2;

/** Events committed together at most, when requests queue up behind the running transactions. */
export const GROUP_COMMIT_MAX = 100;

type Pending<I, R> = { group: string; item: I; resolve: (r: R) => void; reject: (e: unknown) => void };

/**
 * Group commit: items (single events of concurrent requests) run one transaction each while fewer than
 * `limit` transactions are running, so a lone request waits for nothing. Items that arrive while all
 * slots are busy queue up, and when a slot frees, the queued items of one group (a workspace), in
 * arrival order, go through `many` as one transaction, which amortises BEGIN, COMMIT and the locking
 * statement over all of them. Each caller gets its own item's result; if the shared transaction
 * fails, every item of it is retried alone, so one bad item fails only its own request.
 */
export class GroupCommit<I, R> {
  private active = 0;
  private readonly queue: Array<Pending<I, R>> = [];

  constructor(
    private readonly one: (group: string, item: I) => Promise<R>,
    private readonly many: (group: string, items: I[]) => Promise<R[]>,
    private readonly limit = INGEST_CONCURRENCY,
    private readonly maxBatch = GROUP_COMMIT_MAX,
  ) {}

  submit(group: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ group, item, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.active < this.limit && this.queue.length > 0) {
      const batch = this.take();
      this.active++;
      void this.flush(batch).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  /** The oldest queued item and the queued items of its group after it, up to maxBatch, in order. */
  private take(): Array<Pending<I, R>> {
    const group = this.queue[0]!.group;
    const batch: Array<Pending<I, R>> = [];
    let kept = 0;
    for (const p of this.queue) {
      if (p.group === group && batch.length < this.maxBatch) batch.push(p);
      else this.queue[kept++] = p;
    }
    this.queue.length = kept;
    return batch;
  }

  private async flush(batch: Array<Pending<I, R>>) {
    if (batch.length > 1) {
      try {
        const results = await this.many(
          batch[0]!.group,
          batch.map((p) => p.item),
        );
        for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        return;
      } catch {
        // Fall through: each item alone, so only a bad item's own request fails.
      }
    }
    for (const p of batch) await this.one(p.group, p.item).then(p.resolve, p.reject);
  }
}
