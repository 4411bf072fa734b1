import { randomUUID } from 'node:crypto';
import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { atomically, type Executor } from '../../client';
import { syncOrderItems, syncOrderItemsStatement } from '../recommendations/order-items';
import {
  GroupCommit,
  type PipelinedStatement,
  pipelinedTransaction,
  retryConflicts,
} from './ingest-pipeline';
import { type ApplyRow, applyStatement, bind, type Compiled, type CustomerPlan } from './ingest-sql';
import {
  lockCustomerStatement,
  lockKeysStatement,
  lockMovedFromStatement,
  lockOrFindStatement,
  recomputeFlaggedStatement,
  recomputeStatsStatement,
  storedEventsStatement,
} from './ingest-sql-around';
import type { CustomerInput, EventInput, OrderInput } from './inputs';
import { customerIdentity, eventLockKey, identityLockKeys, lockKeys, orderLockKey } from './locks';
import { noteIngested } from './table-stats';

/** Everything one ingested event writes. */
export type IngestInput = {
  event: Omit<EventInput, 'customerId' | 'orderId'>;
  customer: CustomerInput;
  order?: Omit<OrderInput, 'customerId'> | null;
};

/** Outcome of ingestEvent. */
export type IngestOutcome = {
  status: 'accepted' | 'duplicate';
  customerId: string | null;
  orderId: string | null;
};

/*
 * How ingest stays exact with few round trips (a new event: BEGIN, lock, apply, COMMIT; on a pool all
 * of them pipelined, in one round trip):
 *
 * 1. One statement checks the event id (a duplicate stops here) and otherwise takes transaction
 *    advisory locks on every key the event touches, in sorted order: the event id, the customer's
 *    identities (external id, lower-cased email, phone) and the order's external id. The same keys
 *    are taken by upsertCustomerFromEvent, upsertOrder and insertEventOnce, so anything that could
 *    race on them is serialised, and the next statement's snapshot (taken after the locks) sees the
 *    latest committed customer, order and event.
 * 2. One CTE statement applies the event, gated on the event id still being new: customer lookup
 *    (external id, else email, else phone) and merge or insert, order upsert, the customer's stats
 *    updated incrementally, the event row and its outbox row.
 *
 * Incremental stats are exact because the deltas come from the order's previous state (stable
 * under the order lock) and the SET expressions read the customer's current row (re-read by
 * PostgreSQL if a concurrent transaction updated it first). Only first/last order time cannot be
 * derived when an order stops counting, changes its placed_at or moves to another customer; then
 * the affected customers are locked and recomputed from their orders in following statements (when
 * pipelined, ones that read what the apply statement flagged, and do nothing when it flagged nothing).
 * Once those customers are locked, one more statement brings the order's products (what
 * recommendations read) in step with its items (queries/recommendations/order-items.ts).
 */

type Prepared = {
  input: IngestInput;
  customer: CustomerPlan;
  keys: string[];
};

function prepare(workspaceId: string, input: IngestInput): Prepared {
  const id = customerIdentity(input.customer);
  const keys = [eventLockKey(workspaceId, input.event.id), ...identityLockKeys(workspaceId, id)];
  if (input.order) keys.push(orderLockKey(workspaceId, input.order.externalId));
  return { input, customer: { id, newId: randomUUID(), input: input.customer }, keys: keys.sort() };
}

/** Runs a compiled statement as a named prepared statement on a database or transaction. */
async function run<T>(db: Executor, statement: Compiled, values: unknown[]): Promise<T[]> {
  const result = (await db._.session
    .prepareQuery({ sql: statement.text, params: values }, undefined, statement.name, false)
    .execute()) as { rows: T[] };
  return result.rows;
}

/** The outcome of an apply row, and the customers whose stats must be recomputed from their orders. */
function applied(row: ApplyRow | undefined): { outcome: IngestOutcome; recompute: string[]; lock?: string } {
  if (!row) throw new Error('ingest apply returned no row');
  const outcome: IngestOutcome = {
    status: row.inserted ? 'accepted' : 'duplicate',
    customerId: row.customer_id,
    orderId: row.order_id,
  };
  if (!row.inserted) return { outcome, recompute: [] };
  const recompute: string[] = [];
  if (row.recompute) recompute.push(row.customer_id);
  // The order moved away from a customer it counted for: lock that customer before the
  // recompute's snapshot is taken (the current customer is already locked by its update).
  if (row.recompute_previous) recompute.push(row.recompute_previous);
  return { outcome, recompute, lock: row.recompute_previous ?? undefined };
}

/** Applies a not-yet-seen event with all its locks held. */
async function apply(tx: Executor, workspaceId: string, p: Prepared): Promise<IngestOutcome> {
  const { statement, values } = applyStatement(workspaceId, p.customer, p.input.order ?? null, p.input.event);
  const { outcome, recompute, lock } = applied((await run<ApplyRow>(tx, statement, values))[0]);
  if (lock) await run(tx, lockCustomerStatement, bind(lockCustomerStatement, { ws: workspaceId, id: lock }));
  if (p.input.order) await syncOrderItems(tx, workspaceId, [p.input.order.externalId]);
  if (recompute.length)
    await run(
      tx,
      recomputeStatsStatement,
      bind(recomputeStatsStatement, { ws: workspaceId, ids: recompute }),
    );
  return outcome;
}

/**
 * The single-event transaction on its own connection, in one round trip: BEGIN, the duplicate check
 * with its locks, the apply statement, the (usually no-op) lock and recompute it flags, and COMMIT go
 * out together. The statements are compiled once, so a request spends its time in PostgreSQL rather
 * than in building SQL or waiting for round trips.
 */
async function ingestPipelined(pool: pg.Pool, workspaceId: string, p: Prepared): Promise<IngestOutcome> {
  const { statement, values } = applyStatement(workspaceId, p.customer, p.input.order ?? null, p.input.event);
  const ws = { ws: workspaceId };
  const statements: PipelinedStatement[] = [
    {
      statement: lockOrFindStatement,
      values: bind(lockOrFindStatement, { ...ws, eventId: p.input.event.id, keys: p.keys }),
    },
    { statement, values },
  ];
  // Only an order can need a recompute (see ingest-sql.ts), or change the products it bought.
  if (p.input.order)
    statements.push(
      { statement: lockMovedFromStatement, values: bind(lockMovedFromStatement, ws) },
      ...syncOrders(workspaceId, [p]),
      { statement: recomputeFlaggedStatement, values: bind(recomputeFlaggedStatement, ws) },
    );
  const [, rows] = await pipelinedTransaction(pool, statements);
  // A known id: the lock statement took no lock and the gated apply changed nothing.
  return applied(rows?.[0] as ApplyRow | undefined).outcome;
}

/**
 * The statement that keeps the recommendation tables in step with the orders of `ps`, run once their
 * customers (and those their orders moved away from) are locked.
 */
function syncOrders(workspaceId: string, ps: Prepared[]): PipelinedStatement[] {
  const ids = ps.flatMap((p) => (p.input.order ? [p.input.order.externalId] : []));
  return [syncOrderItemsStatement(workspaceId, ids)];
}

/**
 * Several events of one workspace in one transaction, in one round trip: BEGIN, one statement taking
 * every lock of every event (sorted, so concurrent transactions cannot deadlock on them), each event's
 * gated apply in order (a repeated id sees the first one's row and is a duplicate), then the locks and
 * one recompute for whatever the applies flagged, and COMMIT. Recomputing once at the end is exact: it
 * rebuilds the flagged customers' stats from their orders after every apply.
 */
async function ingestManyPipelined(
  pool: pg.Pool,
  workspaceId: string,
  ps: Prepared[],
): Promise<IngestOutcome[]> {
  const ws = { ws: workspaceId };
  const keys = [...new Set(ps.flatMap((p) => p.keys))].sort();
  const statements: PipelinedStatement[] = [
    { statement: lockKeysStatement, values: bind(lockKeysStatement, { keys }) },
    ...ps.map((p) => applyStatement(workspaceId, p.customer, p.input.order ?? null, p.input.event)),
  ];
  if (ps.some((p) => p.input.order))
    statements.push(
      { statement: lockMovedFromStatement, values: bind(lockMovedFromStatement, ws) },
      ...syncOrders(workspaceId, ps),
      { statement: recomputeFlaggedStatement, values: bind(recomputeFlaggedStatement, ws) },
    );
  const rows = await pipelinedTransaction(pool, statements);
  return ps.map((_, i) => applied(rows[i + 1]?.[0] as ApplyRow | undefined).outcome);
}

/** The pool behind `db` when it is a pool (not a caller's transaction). */
function poolOf(db: Executor): pg.Pool | undefined {
  const pool = (db as { $client?: unknown }).$client;
  return !is(db, PgTransaction) && pool instanceof pg.Pool ? pool : undefined;
}

const groupCommits = new WeakMap<pg.Pool, GroupCommit<Prepared, IngestOutcome>>();

/** The pool's group commit of single events (see GroupCommit). */
function groupCommitOf(pool: pg.Pool) {
  let g = groupCommits.get(pool);
  if (!g) {
    g = new GroupCommit<Prepared, IngestOutcome>(
      (ws, p) => retryConflicts(() => ingestPipelined(pool, ws, p)),
      (ws, ps) => retryConflicts(() => ingestManyPipelined(pool, ws, ps)),
    );
    groupCommits.set(pool, g);
  }
  return g;
}

/**
 * Applies an event exactly once, atomically: customer upsert, order upsert (and derived stats), event row
 * and its routing outbox row commit together or not at all. The same event id again changes nothing.
 * On a pool, an event costs one round trip (the whole transaction pipelined), and events of concurrent
 * calls that queue behind the running transactions commit together (group commit); inside a caller's
 * transaction, two statements (lock, apply).
 */
export async function ingestEvent(
  db: Executor,
  workspaceId: string,
  input: IngestInput,
): Promise<IngestOutcome> {
  const p = prepare(workspaceId, input);
  const pool = poolOf(db);
  if (pool) {
    const outcome = await groupCommitOf(pool).submit(workspaceId, p);
    if (outcome.status === 'accepted') noteIngested(pool, 1);
    return outcome;
  }
  return atomically(db, async (tx) => {
    const [found] = await run<{ duplicate: boolean; customer_id: string | null; order_id: string | null }>(
      tx,
      lockOrFindStatement,
      bind(lockOrFindStatement, { ws: workspaceId, eventId: input.event.id, keys: p.keys }),
    );
    if (found?.duplicate)
      return { status: 'duplicate', customerId: found.customer_id, orderId: found.order_id };
    return apply(tx, workspaceId, p);
  });
}

/** Options for ingestEvents. */
export type IngestEventsOptions = {
  /** Events per transaction (default 100): bounds lock count and transaction length. */
  chunkSize?: number;
};

/**
 * Ingests events in order, each exactly once, in transactions of `chunkSize` events. On a pool, a
 * chunk is one pipelined transaction (one round trip), as group commit sends it: the locks of every
 * event, each event's gated apply, the flagged recompute. Inside a caller's transaction: one statement
 * takes all locks of a chunk, one finds the ids already stored, then one statement per new event.
 * A repeated id within the batch is a duplicate of its first occurrence.
 */
export async function ingestEvents(
  db: Executor,
  workspaceId: string,
  inputs: IngestInput[],
  opts: IngestEventsOptions = {},
): Promise<IngestOutcome[]> {
  const prepared = inputs.map((input) => prepare(workspaceId, input));
  const results: IngestOutcome[] = new Array(inputs.length);
  const firstIndex = new Map<string, number>();
  const chunkSize = Math.max(1, opts.chunkSize ?? 100);
  const pool = poolOf(db);
  for (let start = 0; start < prepared.length; start += chunkSize) {
    const chunk: number[] = [];
    for (let i = start; i < Math.min(prepared.length, start + chunkSize); i++) {
      const id = prepared[i]!.input.event.id;
      if (!firstIndex.has(id)) {
        firstIndex.set(id, i);
        chunk.push(i);
      }
    }
    if (chunk.length === 0) continue;
    const ps = chunk.map((i) => prepared[i]!);
    const outcomes = pool
      ? await retryConflicts(() => ingestManyPipelined(pool, workspaceId, ps))
      : await inTransaction(db, workspaceId, ps);
    chunk.forEach((i, k) => {
      results[i] = outcomes[k]!;
    });
  }
  if (pool) noteIngested(pool, results.filter((r) => r?.status === 'accepted').length);
  // Repeats within the batch point at what their first occurrence stored.
  prepared.forEach((p, i) => {
    if (results[i]) return;
    const first = results[firstIndex.get(p.input.event.id)!]!;
    results[i] = { status: 'duplicate', customerId: first.customerId, orderId: first.orderId };
  });
  return results;
}

/** A chunk of distinct events on a caller's transaction (or a new one): lock, find stored ids, apply. */
function inTransaction(db: Executor, workspaceId: string, ps: Prepared[]): Promise<IngestOutcome[]> {
  return atomically(db, async (tx) => {
    await lockKeys(
      tx,
      ps.flatMap((p) => p.keys),
    );
    const ids = ps.map((p) => p.input.event.id);
    const stored = await run<{ id: string; customer_id: string | null; order_id: string | null }>(
      tx,
      storedEventsStatement,
      bind(storedEventsStatement, { ws: workspaceId, ids }),
    );
    const known = new Map(stored.map((r) => [r.id, r]));
    const out: IngestOutcome[] = [];
    for (const p of ps) {
      const hit = known.get(p.input.event.id);
      out.push(
        hit
          ? { status: 'duplicate', customerId: hit.customer_id, orderId: hit.order_id }
          : await apply(tx, workspaceId, p),
      );
    }
    return out;
  });
}

/** Upserts a customer alone (no event), with the ingest locks and merge rules. */
export async function applyCustomerUpsert(
  tx: Executor,
  workspaceId: string,
  input: CustomerInput,
): Promise<{ customerId: string; created: boolean }> {
  const id = customerIdentity(input);
  await lockKeys(tx, identityLockKeys(workspaceId, id));
  const { statement, values } = applyStatement(workspaceId, { id, newId: randomUUID(), input }, null, null);
  const [row] = await run<ApplyRow>(tx, statement, values);
  return { customerId: row!.customer_id, created: row!.created };
}
