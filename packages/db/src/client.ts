import { createHash } from 'node:crypto';
import { type ExtractTablesWithRelations, is, type SQL, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import {
  type PgDatabase,
  PgDialect,
  type PgPreparedQuery,
  PgTransaction,
  type PreparedQueryConfig,
  type SelectedFieldsOrdered,
} from 'drizzle-orm/pg-core';
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

/** What a drizzle prepared query carries (its public fields and the internal ones it maps rows with). */
type BuiltQuery = PgPreparedQuery<PreparedQueryConfig> & {
  queryString: string;
  params: unknown[];
  fields?: SelectedFieldsOrdered;
  _isResponseInArrayMode: boolean;
  customResultMapper?: (rows: unknown[][]) => unknown;
  joinsNotNullableMap?: Record<string, boolean>;
};

const preparedNames = new Set<string>();

/**
 * A drizzle query built once, with `sql.placeholder('x')` for every value that varies, and run as a
 * named prepared statement on whichever executor each call passes (the pool or an open
 * transaction): no query building per call, and PostgreSQL parses and plans it once per connection.
 * Rows come back mapped exactly as the unprepared query maps them. `build` must not capture call
 * data, nor leave a column to `$defaultFn`/`$onUpdate` (their values would be fixed at build time).
 * For the hot paths of a run; `name` must be unique in the process.
 */
export function preparedQuery<P extends Record<string, unknown>, R>(
  name: string,
  build: (db: Executor) => { prepare(name: string): PgPreparedQuery<PreparedQueryConfig & { execute: R }> },
): (db: Executor, values: P) => Promise<R> {
  const statement = `hg_${name}`;
  if (preparedNames.has(statement)) throw new Error(`prepared query ${name} is defined twice`);
  preparedNames.add(statement);
  let built: BuiltQuery | undefined;
  return (db, values) => {
    built ??= build(db).prepare(statement) as unknown as BuiltQuery;
    const query = db._.session.prepareQuery(
      { sql: built.queryString, params: built.params },
      built.fields,
      statement,
      built._isResponseInArrayMode,
      built.customResultMapper,
    ) as BuiltQuery;
    query.joinsNotNullableMap = built.joinsNotNullableMap;
    return query.execute(values) as Promise<R>;
  };
}

/**
 * For prepared writes whose callers leave fields out: `table.column` takes `value` when the call
 * lists the column in its `given` parameter (a text[]), and keeps its stored value otherwise.
 */
export const unlessGiven = (table: string, column: string, value: SQL): SQL =>
  sql`case when ${sql.raw(`'${column}'`)} = any(${sql.placeholder('given')}::text[]) then ${value} else ${sql.raw(`"${table}"."${column}"`)} end`;

/** The `given` parameter of {@link unlessGiven}: the columns of the fields `values` has (not undefined). */
export const givenColumns = <F extends string>(
  fields: readonly (readonly [F, string])[],
  values: Partial<Record<F, unknown>>,
): string[] => fields.filter(([field]) => values[field] !== undefined).map(([, column]) => column);

/**
 * A placeholder with a cast, for values passed as driver values rather than through a column's
 * encoder: nullable timestamps (a Date or null) and jsonb (JSON text from {@link jsonParam}, or null).
 */
export const placeholderAs = (
  name: string,
  type: 'timestamptz' | 'jsonb' | 'numeric' | 'text' | 'int',
): SQL => sql`${sql.placeholder(name)}::${sql.raw(type)}`;

/** A jsonb value for {@link placeholderAs}: JSON text, or SQL NULL (not jsonb `null`) when absent. */
export const jsonParam = (value: unknown): string | null => (value != null ? JSON.stringify(value) : null);

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
