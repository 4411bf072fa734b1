import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { atomically, type Executor, executePrepared } from '../client';
import type { CustomerInput } from './customers';
import type { EventInput } from './events';
import { type ApplyRow, applyStatement, type CustomerPlan, recomputeStatsStatement } from './ingest-sql';
import { customerIdentity, eventLockKey, identityLockKeys, lockKeys, orderLockKey } from './locks';
import type { OrderInput } from './orders';

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
 * How ingest stays exact with few round trips (a new event: BEGIN, lock, apply, COMMIT):
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
 * the affected customers are locked and recomputed from their orders in a following statement.
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

/** Applies a not-yet-seen event with all its locks held. */
async function apply(tx: Executor, workspaceId: string, p: Prepared): Promise<IngestOutcome> {
  const [row] = await executePrepared<ApplyRow>(
    tx,
    applyStatement(workspaceId, p.customer, p.input.order ?? null, p.input.event),
  );
  if (!row) throw new Error('ingest apply returned no row');
  if (!row.inserted) return { status: 'duplicate', customerId: row.customer_id, orderId: row.order_id };
  const recompute: string[] = [];
  if (row.recompute) recompute.push(row.customer_id);
  if (row.recompute_previous) {
    // The order moved away from a customer it counted for: lock that customer before the
    // recompute's snapshot is taken (the current customer is already locked by its update).
    await executePrepared(
      tx,
      sql`select id from customers where workspace_id = ${workspaceId}::uuid and id = ${row.recompute_previous}::uuid for update`,
    );
    recompute.push(row.recompute_previous);
  }
  if (recompute.length) await executePrepared(tx, recomputeStatsStatement(workspaceId, recompute));
  return { status: 'accepted', customerId: row.customer_id, orderId: row.order_id };
}

/**
 * Applies an event exactly once, atomically: customer upsert, order upsert (and derived stats), event row
 * and its routing outbox row commit together or not at all. The same event id again changes nothing.
 * A new event costs four round trips (begin, lock, apply, commit); a known id two (lookup, commit).
 */
export async function ingestEvent(
  db: Executor,
  workspaceId: string,
  input: IngestInput,
): Promise<IngestOutcome> {
  const p = prepare(workspaceId, input);
  return atomically(db, async (tx) => {
    // Duplicate fast path, else take every lock (in sorted order) in the same round trip. The CASE
    // makes PostgreSQL evaluate the lock subquery only when the event is not stored.
    const [found] = await executePrepared<{
      duplicate: boolean;
      customer_id: string | null;
      order_id: string | null;
    }>(
      tx,
      sql`select true as duplicate, e.customer_id, e.order_id from events e
      where e.workspace_id = ${workspaceId}::uuid and e.id = ${input.event.id}::text
      union all
      select false, null::uuid, null::uuid
      where case
        when exists (select 1 from events where workspace_id = ${workspaceId}::uuid and id = ${input.event.id}::text) then false
        else (select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest(${sql.param(p.keys)}::text[]) as k) >= 0
      end`,
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
 * Ingests events in order, each exactly once, in transactions of `chunkSize` events: one statement
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
    const outcomes = await atomically(db, async (tx) => {
      await lockKeys(
        tx,
        chunk.flatMap((i) => prepared[i]!.keys),
      );
      const ids = chunk.map((i) => prepared[i]!.input.event.id);
      const stored = await executePrepared<{
        id: string;
        customer_id: string | null;
        order_id: string | null;
      }>(
        tx,
        sql`select id, customer_id, order_id from events
        where workspace_id = ${workspaceId}::uuid and id = any (${sql.param(ids)}::text[])`,
      );
      const known = new Map(stored.map((r) => [r.id, r]));
      const out: IngestOutcome[] = [];
      for (const i of chunk) {
        const p = prepared[i]!;
        const hit = known.get(p.input.event.id);
        out.push(
          hit
            ? { status: 'duplicate', customerId: hit.customer_id, orderId: hit.order_id }
            : await apply(tx, workspaceId, p),
        );
      }
      return out;
    });
    chunk.forEach((i, k) => {
      results[i] = outcomes[k]!;
    });
  }
  // Repeats within the batch point at what their first occurrence stored.
  prepared.forEach((p, i) => {
    if (results[i]) return;
    const first = results[firstIndex.get(p.input.event.id)!]!;
    results[i] = { status: 'duplicate', customerId: first.customerId, orderId: first.orderId };
  });
  return results;
}

/** Upserts a customer alone (no event), with the ingest locks and merge rules. */
export async function applyCustomerUpsert(
  tx: Executor,
  workspaceId: string,
  input: CustomerInput,
): Promise<{ customerId: string; created: boolean }> {
  const id = customerIdentity(input);
  await lockKeys(tx, identityLockKeys(workspaceId, id));
  const [row] = await executePrepared<ApplyRow>(
    tx,
    applyStatement(workspaceId, { id, newId: randomUUID(), input }, null, null),
  );
  return { customerId: row!.customer_id, created: row!.created };
}
