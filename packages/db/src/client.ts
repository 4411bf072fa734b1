import { createHash } from 'node:crypto';
import { type ExtractTablesWithRelations, is, type SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

/** The drizzle schema object (tables only). */
export type Schema = typeof schema;

/** A drizzle database bound to the Hourglass schema. */
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool };

/**
 * What query functions accept: the database or an open transaction (PgTransaction extends
 * PgDatabase), so callers can compose several queries atomically.
 */
export type Executor = PgDatabase<NodePgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Options for createDb. */
export type CreateDbOptions = {
  /** Maximum pooled connections (default 10). */
  max?: number;
  /** Name shown in pg_stat_activity, to tell the API, workers and tests apart. */
  applicationName?: string;
  /** Log every query through drizzle's default logger. */
  logQueries?: boolean;
};

/** A connected database handle; close() ends the pool. */
export type DbHandle = { db: Db; pool: pg.Pool; close: () => Promise<void> };

/** Opens a pool to `url` and wraps it in drizzle with the schema and snake_case casing. */
export function createDb(url: string, opts: CreateDbOptions = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'hourglass',
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // A checked-out client whose server restarts emits 'error' on the client itself: without a listener
  // that is an uncaught exception. The query in flight still fails (and is retried by its caller).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool, schema, casing: 'snake_case', logger: opts.logQueries ?? false });
  let closed = false;
  return {
    db,
    pool,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

const dialect = new PgDialect();
const statementNames = new Map<string, string>();

/**
 * Runs a raw `sql` statement as a named prepared statement: PostgreSQL parses (and, once the plan
 * is cached, plans) it once per connection instead of once per call. Use for hot statements whose
 * text is one of a few fixed variants; cast every parameter, since types are inferred at parse time.
 * Returns the raw rows (snake_case keys, values as the driver parses them).
 */
export async function executePrepared<T extends Record<string, unknown>>(
  db: Executor,
  query: SQL,
): Promise<T[]> {
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (!name) {
    name = `hg_${createHash('sha1').update(built.sql).digest('hex').slice(0, 20)}`;
    statementNames.set(built.sql, name);
  }
  const result = (await db._.session.prepareQuery(built, undefined, name, false).execute()) as {
    rows: T[];
  };
  return result.rows;
}

/**
 * Runs `fn` atomically: inside the caller's transaction when `db` already is one (no savepoint, so
 * no extra round trips), else in a new transaction, retried a few times on deadlock or
 * serialization failure (both abort the whole transaction, so a retry is safe).
 */
export async function atomically<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  if (is(db, PgTransaction)) return fn(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      const code =
        (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (attempt >= 4 || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}
