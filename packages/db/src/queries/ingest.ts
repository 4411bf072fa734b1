import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { atomically, type Executor, executePrepared } from '../client';
import { Consent } from '../schema';
import type { CustomerInput } from './customers';
import type { EventInput } from './events';
import {
  type CustomerIdentity,
  clean,
  customerIdentity,
  eventLockKey,
  identityLockKeys,
  lockKeys,
  orderLockKey,
} from './locks';
import { NON_REVENUE_ORDER_STATUSES, type OrderInput } from './orders';

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

// An explicit `undefined` must not overwrite a stored channel state (or its default).
const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Customer part of an apply statement: identity, profile, merge data, the id a new row gets. */
type CustomerPlan = {
  id: CustomerIdentity;
  newId: string;
  input: CustomerInput;
};

type OrderPlan = Omit<OrderInput, 'customerId'>;

const nonRevenue = () => sql`${sql.param([...NON_REVENUE_ORDER_STATUSES])}::text[]`;
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const ts = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The CTEs that find the customer (`m`), merge into it (`upd`) or create it (`ins`). */
function customerCtes(
  workspaceId: string,
  c: CustomerPlan,
  gate: SQL,
  withOrder: boolean,
): { match: SQL; write: SQL } {
  const { id, input } = c;
  const ws = sql`${workspaceId}::uuid`;
  // A known external id that did not match must not be merged into another identified customer.
  const unclaimed = id.externalId ? sql` and external_id is null` : sql``;
  const branches: SQL[] = [];
  if (id.externalId)
    branches.push(
      sql`(select id, 1 as r from customers where workspace_id = ${ws} and external_id = ${id.externalId}::text order by created_at limit 1)`,
    );
  if (id.email)
    branches.push(
      sql`(select id, 2 as r from customers where workspace_id = ${ws} and lower(email) = ${id.email.toLowerCase()}::text${unclaimed} order by created_at limit 1)`,
    );
  if (id.phone)
    branches.push(
      sql`(select id, 3 as r from customers where workspace_id = ${ws} and phone = ${id.phone}::text${unclaimed} order by created_at limit 1)`,
    );
  const p = {
    firstName: clean(input.firstName),
    lastName: clean(input.lastName),
    timezone: clean(input.timezone),
    locale: clean(input.locale),
    birthday: clean(input.birthday),
  };
  const consentPatch = input.consent ? json(definedOnly(input.consent)) : null;
  const consentNew = json(Consent.parse(definedOnly(input.consent ?? {})));
  const attributes = json(input.attributes);
  const tagsMerge = input.tags?.length ? input.tags : null;
  const tagsNew = [...new Set(input.tags ?? [])];

  // Stats: incremental on an existing customer; a new customer has only this order.
  const stats = withOrder
    ? sql`,
    orders_count = c.orders_count + d.dn,
    total_spent = c.total_spent + d.dt,
    aov = case when c.orders_count + d.dn > 0 then round((c.total_spent + d.dt) / (c.orders_count + d.dn), 2) else 0 end,
    first_order_at = case when d.adds then least(c.first_order_at, d.placed_at) else c.first_order_at end,
    last_order_at = case when d.adds then greatest(c.last_order_at, d.placed_at) else c.last_order_at end`
    : sql``;
  const newStatsCols = withOrder
    ? sql`, orders_count, total_spent, aov, first_order_at, last_order_at`
    : sql``;
  const newStats = withOrder
    ? sql`, d.new_counts::int, case when d.new_counts then d.total else 0 end,
      case when d.new_counts then d.total else 0 end,
      case when d.new_counts then d.placed_at end, case when d.new_counts then d.placed_at end`
    : sql``;
  const fromD = withOrder ? sql`, d` : sql``;

  const match = sql`m as (
  select id from (${sql.join(branches, sql` union all `)}) s order by r limit 1
)`;
  const write = sql`upd as (
  update customers c set
    external_id = coalesce(c.external_id, ${id.externalId}::text),
    email = coalesce(${id.email}::text, c.email),
    phone = coalesce(${id.phone}::text, c.phone),
    first_name = coalesce(${p.firstName}::text, c.first_name),
    last_name = coalesce(${p.lastName}::text, c.last_name),
    timezone = coalesce(${p.timezone}::text, c.timezone),
    locale = coalesce(${p.locale}::text, c.locale),
    birthday = coalesce(${p.birthday}::date, c.birthday),
    consent = c.consent || coalesce(${consentPatch}::jsonb, '{}'::jsonb),
    attributes = c.attributes || coalesce(${attributes}::jsonb, '{}'::jsonb),
    tags = case when ${sql.param(tagsMerge)}::text[] is null then c.tags
      else array(select distinct t from unnest(c.tags || ${sql.param(tagsMerge)}::text[]) as t order by t) end,
    updated_at = now()${stats}
  from m${fromD}
  where c.workspace_id = ${ws} and c.id = m.id and ${gate}
  returning c.id
),
ins as (
  insert into customers (id, workspace_id, external_id, email, phone, first_name, last_name, timezone,
    locale, birthday, consent, attributes, tags${newStatsCols})
  select ${c.newId}::uuid, ${ws}, ${id.externalId}::text, ${id.email}::text, ${id.phone}::text,
    ${p.firstName}::text, ${p.lastName}::text, ${p.timezone}::text, ${p.locale}::text, ${p.birthday}::date,
    ${consentNew}::jsonb, coalesce(${attributes}::jsonb, '{}'::jsonb), ${sql.param(tagsNew)}::text[]${newStats}
  ${withOrder ? sql`from d` : sql``}
  where not exists (select 1 from m) and ${gate}
  returning id
)`;
  return { match, write };
}

/** The CTEs that upsert the order (`ord`) and derive the stats deltas (`d`). */
function orderCtes(workspaceId: string, customerId: SQL, o: OrderPlan, gate: SQL): SQL {
  const ws = sql`${workspaceId}::uuid`;
  const items = json(o.items);
  const placed = ts(o.placedAt);
  const fulfilled = ts(o.fulfilledAt);
  const delivered = ts(o.deliveredAt);
  const refunded = ts(o.refundedAt);
  return sql`old as (
  select customer_id, total, placed_at,
    (status <> all (${nonRevenue()}) and refunded_at is null) as counts
  from orders where workspace_id = ${ws} and external_id = ${o.externalId}::text
),
ord as (
  insert into orders as o (workspace_id, external_id, customer_id, total, currency, items, status,
    placed_at, fulfilled_at, delivered_at, refunded_at)
  select ${ws}, ${o.externalId}::text, ${customerId}, ${o.total}::numeric, ${o.currency ?? 'USD'}::text,
    coalesce(${items}::jsonb, '[]'::jsonb), coalesce(${o.status ?? null}::text, 'placed'),
    coalesce(${placed}::timestamptz, now()), ${fulfilled}::timestamptz, ${delivered}::timestamptz,
    ${refunded}::timestamptz
  where ${gate}
  on conflict (workspace_id, external_id) do update set
    customer_id = excluded.customer_id,
    total = excluded.total,
    currency = excluded.currency,
    items = coalesce(${items}::jsonb, o.items),
    status = coalesce(${o.status ?? null}::text, o.status),
    placed_at = coalesce(${placed}::timestamptz, o.placed_at),
    fulfilled_at = coalesce(${fulfilled}::timestamptz, o.fulfilled_at),
    delivered_at = coalesce(${delivered}::timestamptz, o.delivered_at),
    refunded_at = coalesce(${refunded}::timestamptz, o.refunded_at),
    updated_at = now()
  returning o.id, o.customer_id, o.total, o.placed_at,
    (o.status <> all (${nonRevenue()}) and o.refunded_at is null) as counts
),
d0 as (
  select ord.id as order_id, ord.customer_id, ord.total, ord.placed_at, ord.counts as new_counts,
    coalesce(old.customer_id = ord.customer_id and old.counts, false) as old_counts,
    coalesce(old.customer_id <> ord.customer_id and old.counts, false) as moved,
    old.customer_id as prev_customer_id, old.total as old_total, old.placed_at as old_placed_at
  from ord left join old on true
),
d as (
  select d0.*,
    new_counts::int - old_counts::int as dn,
    (case when new_counts then total else 0 end) - (case when old_counts then old_total else 0 end) as dt,
    new_counts and not old_counts as adds,
    old_counts and (not new_counts or old_placed_at <> placed_at) as recompute
  from d0
)`;
}

type ApplyRow = {
  inserted: boolean;
  created: boolean;
  customer_id: string;
  order_id: string | null;
  recompute: boolean | null;
  recompute_previous: string | null;
};

/**
 * The apply statement of one event (or, without `event`, of a customer upsert alone). The gate makes
 * it a no-op when the event id is already stored.
 */
function applyStatement(
  workspaceId: string,
  customer: CustomerPlan,
  order: OrderPlan | null,
  event: IngestInput['event'] | null,
): SQL {
  const ws = sql`${workspaceId}::uuid`;
  const gate = event ? sql`(select ok from gate)` : sql`true`;
  const customerId = sql`coalesce((select id from m), ${customer.newId}::uuid)`;
  const ctes: SQL[] = [];
  if (event)
    ctes.push(sql`ex as (
  select customer_id, order_id from events where workspace_id = ${ws} and id = ${event.id}::text
),
gate as (select not exists (select 1 from ex) as ok)`);
  const { match, write } = customerCtes(workspaceId, customer, gate, !!order);
  ctes.push(match);
  if (order) ctes.push(orderCtes(workspaceId, customerId, order, gate));
  ctes.push(write);
  if (event)
    ctes.push(sql`ev as (
  insert into events (workspace_id, id, type, customer_id, order_id, properties, occurred_at)
  select ${ws}, ${event.id}::text, ${event.type}::text, ${customerId},
    ${order ? sql`(select order_id from d)` : sql`null::uuid`}, ${json(event.properties ?? {})}::jsonb,
    coalesce(${ts(event.occurredAt)}::timestamptz, now())
  where ${gate}
  returning id
),
ob as (
  insert into event_outbox (workspace_id, event_id) select ${ws}, id from ev returning id
)`);
  const storedOr = (fresh: SQL, column: 'customer_id' | 'order_id') =>
    event ? sql`case when ${gate} then ${fresh} else (select ${sql.raw(column)} from ex) end` : fresh;
  const orderId = order ? sql`(select order_id from d)` : sql`null::uuid`;
  return sql`with ${sql.join(ctes, sql`,\n`)}
select ${gate} as inserted, not exists (select 1 from m) as created,
  ${storedOr(customerId, 'customer_id')} as customer_id,
  ${storedOr(orderId, 'order_id')} as order_id,
  ${order ? sql`(select recompute from d)` : sql`false`} as recompute,
  ${order ? sql`(select prev_customer_id from d where moved)` : sql`null::uuid`} as recompute_previous`;
}

/** Recomputes the stats of `customerIds` from their orders in one statement. */
function recomputeStatsStatement(workspaceId: string, customerIds: string[]): SQL {
  const ws = sql`${workspaceId}::uuid`;
  return sql`update customers c set
    orders_count = a.n,
    total_spent = a.total,
    aov = case when a.n > 0 then round(a.total / a.n, 2) else 0 end,
    first_order_at = a.first,
    last_order_at = a.last,
    updated_at = now()
  from (
    select ids.id, count(o.id)::int as n, coalesce(sum(o.total), 0) as total,
      min(o.placed_at) as first, max(o.placed_at) as last
    from unnest(${sql.param(customerIds)}::uuid[]) as ids(id)
    left join orders o on o.workspace_id = ${ws} and o.customer_id = ids.id
      and o.status <> all (${nonRevenue()}) and o.refunded_at is null
    group by ids.id
  ) a
  where c.workspace_id = ${ws} and c.id = a.id
  returning c.id`;
}

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
