// The statements around ingest's apply statement (ingest-sql.ts): the duplicate check that takes an
// event's locks, the locks of a group, the lock and recompute of the customers the applies flagged,
// and the lookup of stored events. Compiled once; a call only binds values.
import { type SQL, sql } from 'drizzle-orm';
import { compile, MOVED_FROM_SETTING, RECOMPUTE_SETTING } from './ingest-sql';
import { lockKeysSql } from './locks';
import { aovSql, customerOrderStats } from './order-stats';

const v = (name: string) => sql.placeholder(name);
/** The ids a transaction-local setting holds (a comma-separated list left by the applies), as uuid[]. */
const settingIds = (name: string) =>
  sql`string_to_array(nullif(current_setting(${sql.raw(`'${name}'`)}, true), ''), ',')::uuid[]`;
/**
 * Whether a setting holds any id. It reads no row, so PostgreSQL evaluates it once, before the plan
 * below it runs (a one-time filter): a statement gated on it costs nothing when nothing was flagged.
 */
const settingHasIds = (name: string) =>
  sql`coalesce(current_setting(${sql.raw(`'${name}'`)}, true), '') <> ''`;

/**
 * First statement of a single event's transaction: answers the stored event when its id is known,
 * else takes every lock (`keys`, sorted) in the same round trip. The CASE makes PostgreSQL evaluate
 * the lock subquery only when the event is not stored.
 */
export const lockOrFindStatement =
  compile(sql`select true as duplicate, e.customer_id, e.order_id from events e
  where e.workspace_id = ${v('ws')}::uuid and e.id = ${v('eventId')}::text
  union all
  select false, null::uuid, null::uuid
  where case
    when exists (select 1 from events where workspace_id = ${v('ws')}::uuid and id = ${v('eventId')}::text) then false
    else (${lockKeysSql(v('keys'))}) >= 0
  end`);

// Generic plans. A statement prepared once per connection is soon run from a generic plan, and one made
// while a table was small may pick any index that leads with workspace_id and filter the rest: a walk of
// the workspace's rows on every call. So the lookups by id below go through a fenced (offset 0) lateral
// subquery per id, each an equality on the primary key, and their workspace check is written as
// `is not distinct from` (equal for the non-null workspace id), which no index can serve, so the
// primary key is the only index the planner can use.

/** The customers with `ids` (a uuid[] expression) in this workspace, locked in id order. */
const lockCustomersSql = (ids: SQL) => sql`select c.id
  from (select distinct unnest(${ids}) as id order by 1) k,
    lateral (select id from customers
      where id = k.id and workspace_id is not distinct from ${v('ws')}::uuid offset 0 for update) c`;

/** Locks a customer an order moved away from, before the recompute's snapshot is taken. */
export const lockCustomerStatement = compile(
  sql`select id from customers
  where id = ${v('id')}::uuid and workspace_id is not distinct from ${v('ws')}::uuid for update`,
);

/**
 * Recomputes the stats of customers (`ids`, a uuid[] expression) from their orders in one statement;
 * `gate` (a condition that reads no row) can make it a no-op before it reads anything.
 */
const recomputeSql = (ids: SQL, gate: SQL) => sql`update customers c set
    orders_count = a.n,
    total_spent = a.total,
    aov = ${aovSql(sql`a.total`, sql`a.n`)},
    first_order_at = a.first,
    last_order_at = a.last,
    updated_at = now()
  from (
    select k.id, s.n, s.total, s.first, s.last
    from (select distinct unnest(${ids})) as k(id),
      lateral (${customerOrderStats(sql`${v('ws')}::uuid`, sql`k.id`)} offset 0) s
  ) a
  where ${gate} and c.id = a.id and c.workspace_id is not distinct from ${v('ws')}::uuid
  returning c.id`;

/** Recomputes the stats of customers (`ids`) from their orders in one statement. */
export const recomputeStatsStatement = compile(
  recomputeSql(sql`${v('ids')}::uuid[]`, sql`cardinality(${v('ids')}::uuid[]) > 0`),
);

/**
 * After the apply statements of a transaction: locks the customers their orders moved away from, if
 * any (a no-op otherwise), before the recompute's snapshot is taken.
 */
export const lockMovedFromStatement = compile(
  sql`${lockCustomersSql(settingIds(MOVED_FROM_SETTING))} where ${settingHasIds(MOVED_FROM_SETTING)}`,
);

/** After the apply statements of a transaction: the recompute they flagged, if any (a no-op otherwise). */
export const recomputeFlaggedStatement = compile(
  recomputeSql(settingIds(RECOMPUTE_SETTING), settingHasIds(RECOMPUTE_SETTING)),
);

/** Takes transaction advisory locks on `keys` (sorted by the caller), as lockKeys does. */
export const lockKeysStatement = compile(lockKeysSql(v('keys')));

/** The events of `ids` already stored, one primary-key lookup each. */
export const storedEventsStatement = compile(
  sql`select e.id, e.customer_id, e.order_id from unnest(${v('ids')}::text[]) as k(id),
    lateral (select id, customer_id, order_id from events
      where workspace_id = ${v('ws')}::uuid and id = k.id offset 0) e`,
);
