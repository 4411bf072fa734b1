import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
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
