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
 * At most this many single-event ingest transactions of one pool run at once; the rest wait their
 * turn in this process. Concurrent ingest transactions contend inside PostgreSQL (the right-most pages
 * of the time- and sequence-ordered indexes, the workspace row every foreign key check locks): on a
 * busy 2-core machine PostgreSQL spent about three times the CPU per event at 20 concurrent
 * transactions as at 4, while 4 left throughput bound by round-trip latency; 8 did best in between.
 */
export const INGEST_CONCURRENCY = 8;

/** A FIFO counting semaphore. */
class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const gates = new WeakMap<pg.Pool, Gate>();

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
  let gate = gates.get(pool);
  if (!gate) {
    gate = new Gate(Math.max(1, INGEST_CONCURRENCY));
    gates.set(pool, gate);
  }
  return gate.run(() => pipelined(pool, statements));
}

async function pipelined(pool: pg.Pool, statements: PipelinedStatement[]): Promise<unknown[][]> {
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
