import { type SQL, sql } from 'drizzle-orm';
import { atomically, type Executor } from '../../client';
import { bind, type Compiled, compile } from '../ingest/ingest-sql';

// Keeps order_items, product_stats and product_pairs (schema/products.ts) in step with orders.items.
//
// One statement, for any number of orders, makes each order's order_items rows equal to its items as
// stored now, and moves the counters by what that changed in each affected customer's set of skus
// (a customer counts once per sku, however many orders carry it). It compares states rather than
// replaying the event, so it is idempotent: an order sent again, or an event that leaves its items
// alone, changes nothing; an order whose items are replaced, that moves to another customer or whose
// placed_at changes is counted again exactly.
//
// Callers run it after the order writes of their transaction, holding the row lock of every customer
// those orders belong or belonged to (ingest's apply statement and its moved-from lock, upsertOrder's
// locks): its snapshot then holds every committed order of those customers, and no other writer can
// change their sets until commit. Counters are upserted in sorted key order, product_stats before
// product_pairs, so concurrent transactions take their row locks in one order and cannot deadlock on them.

const v = (name: string) => sql.placeholder(name);
const ws = sql`${v('ws')}::uuid`;

// An item's fields, read defensively: orders.items is written by other paths than the events API.
const str = (field: string) => sql`nullif(btrim(case when jsonb_typeof(e->${sql.raw(`'${field}'`)}) = 'string'
  then e->>${sql.raw(`'${field}'`)} end), '')`;
const price = sql`case when jsonb_typeof(e->'price') = 'number' and abs((e->>'price')::numeric) < 1e12
  then round((e->>'price')::numeric, 2) end`;

/** Pairs (customer, a, b) of distinct skus of `set` where `a` or `b` is in `changed`, both directions. */
const pairsTouching = (changed: string, set: string): SQL =>
  sql.raw(`select x.customer_id, x.sku as a, y.sku as b
    from ${changed} x join ${set} y on y.customer_id = x.customer_id and y.sku <> x.sku
  union
  select x.customer_id, y.sku, x.sku
    from ${changed} x join ${set} y on y.customer_id = x.customer_id and y.sku <> x.sku`);

/**
 * One row per order and sku (the first line carrying the sku describes it) of `source`, a relation of
 * orders with columns id, customer_id, placed_at and items.
 */
const productsOf = (source: SQL) => sql`select distinct on (o.id, i.sku) o.id as order_id, i.sku,
    o.customer_id, o.placed_at, coalesce(${str('name')}, ${str('title')}, i.sku) as title,
    ${str('url')} as url, ${str('imageUrl')} as image_url, ${price} as price
  from ${source} o,
    jsonb_array_elements(case when jsonb_typeof(o.items) = 'array' then o.items else '[]' end)
      with ordinality as x(e, n),
    lateral (select case when jsonb_typeof(e->'sku') in ('string', 'number')
      then nullif(btrim(e->>'sku'), '') end as sku) i
  where i.sku is not null
  order by o.id, i.sku, x.n`;

// One order (a single event) names it by a scalar, so that PostgreSQL's generic plan for the prepared
// statement is estimated like the custom ones and kept, instead of planning the statement on every
// call; several orders (a batch) come as an array.
const syncSql = (many: boolean) => sql`with cur as (
  ${
    many
      ? sql`select o.id, o.customer_id, o.placed_at, o.items
  from (select distinct unnest(${v('orders')}::text[]) as ext) k,
    lateral (select id, customer_id, placed_at, items from orders
      where workspace_id = ${ws} and external_id = k.ext offset 0) o`
      : sql`select id, customer_id, placed_at, items from orders
  where workspace_id = ${ws} and external_id = ${v('order')}::text`
  }
),
fresh as (${productsOf(sql`cur`)}),
old as (
  select oi.order_id, oi.sku, oi.customer_id
  from cur, lateral (select order_id, sku, customer_id from order_items
    where workspace_id = ${ws} and order_id = cur.id offset 0) oi
),
who as (select customer_id from cur union select customer_id from old),
mine as (
  select oi.customer_id, oi.order_id, oi.sku
  from who, lateral (select customer_id, order_id, sku from order_items
    where workspace_id = ${ws} and customer_id = who.customer_id offset 0) oi
),
before as (select distinct customer_id, sku from mine),
after as (
  select customer_id, sku from mine where order_id not in (select id from cur)
  union
  select customer_id, sku from fresh
),
added as (select * from after except select * from before),
removed as (select * from before except select * from after),
buyer_delta as (
  select sku, sum(d)::int as d
  from (select sku, 1 as d from added union all select sku, -1 from removed) s
  group by sku
),
pair_delta as (
  select a, b, sum(d)::int as d
  from (
    select a, b, 1 as d from (${pairsTouching('added', 'after')}) g
    union all
    select a, b, -1 from (${pairsTouching('removed', 'before')}) l
  ) s
  group by a, b having sum(d) <> 0
),
dropped as (
  delete from order_items oi using old
  where oi.workspace_id = ${ws} and oi.order_id = old.order_id and oi.sku = old.sku
    and not exists (select 1 from fresh f where f.order_id = old.order_id and f.sku = old.sku)
  returning 1
),
written as (
  insert into order_items as oi (workspace_id, order_id, sku, customer_id, title, url, image_url, price, placed_at)
  select ${ws}, order_id, sku, customer_id, title, url, image_url, price, placed_at from fresh
  on conflict (workspace_id, order_id, sku) do update set
    customer_id = excluded.customer_id, title = excluded.title, url = excluded.url,
    image_url = excluded.image_url, price = excluded.price, placed_at = excluded.placed_at
  where (oi.customer_id, oi.title, oi.url, oi.image_url, oi.price, oi.placed_at)
    is distinct from (excluded.customer_id, excluded.title, excluded.url, excluded.image_url, excluded.price, excluded.placed_at)
  returning 1
),
stats as (
  insert into product_stats as s (workspace_id, sku, buyers)
  select ${ws}, sku, d from buyer_delta where d <> 0 order by sku
  on conflict (workspace_id, sku) do update set buyers = s.buyers + excluded.buyers
  returning 1
),
pairs as (
  insert into product_pairs as p (workspace_id, sku, other_sku, buyers)
  -- Reading stats' count first makes product_stats' locks come before these.
  select ${ws}, a, b, d from pair_delta where (select count(*) from stats) >= 0 order by a, b
  on conflict (workspace_id, sku, other_sku) do update set buyers = p.buyers + excluded.buyers
  returning 1
)
select (select count(*) from written)::int as written, (select count(*) from dropped)::int as dropped,
  (select count(*) from stats)::int as skus, (select count(*) from pairs)::int as pairs`;

const syncOne = compile(syncSql(false));
const syncMany = compile(syncSql(true));

/** The statement (and its parameters) that brings the orders with these external ids in step; see above. */
export function syncOrderItemsStatement(
  workspaceId: string,
  externalIds: string[],
): { statement: Compiled; values: unknown[] } {
  const ids = [...new Set(externalIds)].sort();
  const statement = ids.length === 1 ? syncOne : syncMany;
  return { statement, values: bind(statement, { ws: workspaceId, order: ids[0], orders: ids }) };
}

/**
 * Brings the recommendation tables in step with the orders with these external ids (see above), on a
 * transaction that holds the row locks of those orders' customers, past and present.
 */
export async function syncOrderItems(
  tx: Executor,
  workspaceId: string,
  externalIds: string[],
): Promise<void> {
  if (externalIds.length === 0) return;
  const { statement, values } = syncOrderItemsStatement(workspaceId, externalIds);
  await tx._.session
    .prepareQuery({ sql: statement.text, params: values }, undefined, statement.name, false)
    .execute();
}

/**
 * Rebuilds the workspace's recommendation tables from its orders, set-based: for orders written
 * without order writes' upkeep (a bulk import by SQL), or a repair. Order writes of the workspace
 * must not run meanwhile (they would be counted from a state this replaces).
 */
export async function rebuildProducts(db: Executor, workspaceId: string): Promise<void> {
  const w = sql`${workspaceId}::uuid`;
  await atomically(db, async (tx) => {
    await tx.execute(sql`delete from product_pairs where workspace_id = ${w}`);
    await tx.execute(sql`delete from product_stats where workspace_id = ${w}`);
    await tx.execute(sql`delete from order_items where workspace_id = ${w}`);
    await tx.execute(sql`insert into order_items (workspace_id, order_id, sku, customer_id, title, url,
        image_url, price, placed_at)
      select ${w}, order_id, sku, customer_id, title, url, image_url, price, placed_at
      from (${productsOf(sql`(select id, customer_id, placed_at, items from orders where workspace_id = ${w})`)}) p`);
    await tx.execute(sql`insert into product_stats (workspace_id, sku, buyers)
      select ${w}, sku, count(distinct customer_id) from order_items where workspace_id = ${w} group by sku`);
    await tx.execute(sql`insert into product_pairs (workspace_id, sku, other_sku, buyers)
      select ${w}, a.sku, b.sku, count(*)
      from (select distinct customer_id, sku from order_items where workspace_id = ${w}) a
        join (select distinct customer_id, sku from order_items where workspace_id = ${w}) b
          on b.customer_id = a.customer_id and b.sku <> a.sku
      group by a.sku, b.sku
      order by a.sku, b.sku`);
  });
}
