import { type SQL, sql } from 'drizzle-orm';
import { type Executor, executePrepared } from '../../client';

export { rebuildProducts } from './order-items';

/** A product to show a customer, as its most recent order line describes it. */
export type RecommendedProduct = {
  title: string;
  sku: string;
  url: string | null;
  imageUrl: string | null;
  price: number | null;
};

/** What to recommend for: a customer, and the basket (an order of theirs, or skus). */
export type RecommendOptions = {
  customerId: string;
  /** The order whose items are the basket; when absent, `skus`, else the customer's most recent order. */
  orderId?: string | null;
  skus?: string[];
  /** How many products at most (default 4, at most MAX_RECOMMENDATIONS). */
  limit?: number;
};

/** The most products one call returns. */
export const MAX_RECOMMENDATIONS = 50;

/** The most basket skus that count towards co-purchases (the first, by sku): bounds a call's cost. */
export const MAX_BASKET = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An id that cannot be a row's names nothing, rather than failing the cast.
const uuidOrNull = (id: string | null | undefined) => (id && UUID.test(id) ? id : null);

type Row = { sku: string; title: string; url: string | null; image_url: string | null; price: number | null };

/** The basket's skus, by what names it: an order, skus, or the customer's most recent order. */
function basketSql(opts: RecommendOptions, ws: SQL, customer: SQL, skus: string[]): SQL {
  if (opts.orderId)
    return sql`select sku from order_items
  where workspace_id = ${ws} and order_id = ${uuidOrNull(opts.orderId)}::uuid`;
  if (skus.length > 0) return sql`select unnest(${sql.param(skus)}::text[]) as sku`;
  return sql`select sku from order_items
  where workspace_id = ${ws} and order_id = (select id from orders
    where workspace_id = ${ws} and customer_id = ${customer} order by placed_at desc, id desc limit 1)`;
}

/**
 * Products to recommend to a customer, from the workspace's own order history (the tables kept by
 * order writes, schema/products.ts):
 * - first, the products most often bought by customers who bought something in the basket: a
 *   product's score is, summed over the basket's skus, the number of customers who bought both that
 *   sku and the product (the customer's own purchases never count, since what they bought is left
 *   out); ties by sku;
 * - then, to fill up to `limit`, the workspace's best sellers (most customers), ties by sku;
 * - never a sku the customer ever bought, nor one in the basket.
 * The basket is `orderId`'s items when an order is named (an order of another workspace, or none,
 * gives an empty basket), else `skus`, else the items of the customer's most recent order. Title,
 * link, image and price come from the most recent order line of each sku. A workspace without
 * orders gets an empty list. A basket of more than MAX_BASKET skus scores with its first MAX_BASKET
 * (by sku) and excludes them all. One statement; reads nothing of another workspace.
 *
 * The co-purchase ranking reads a few rows per basket sku, however many products were bought with
 * it (a threshold algorithm): the first `scan` partners of each basket sku by count give candidates,
 * whose exact scores are then looked up. A product in none of those lists scores at most the sum of
 * each full list's last count; when the last of the `limit` best candidates scores more than that,
 * they are the exact answer. Otherwise (ties, flat counts) the statement sums every partner instead.
 */
export async function recommendProducts(
  db: Executor,
  workspaceId: string,
  opts: RecommendOptions,
): Promise<RecommendedProduct[]> {
  const limit = Math.min(MAX_RECOMMENDATIONS, Math.floor(opts.limit ?? 4));
  if (!(limit > 0)) return [];
  const skus = [...new Set((opts.skus ?? []).map((s) => s.trim()).filter(Boolean))];
  const ws = sql`${workspaceId}::uuid`;
  const customer = sql`${uuidOrNull(opts.customerId)}::uuid`;
  const n = sql`${limit}::int`;
  const scan = sql`${4 * limit + 12}::int`;
  const rows = await executePrepared<Row>(
    db,
    sql`with whole_basket as (${basketSql(opts, ws, customer, skus)}),
basket as (select distinct sku from whole_basket order by sku limit ${MAX_BASKET}),
excluded as (
  select sku from whole_basket
  union
  select sku from order_items where workspace_id = ${ws} and customer_id = ${customer}
),
tops as (
  select b.sku as basket_sku, t.sku, t.buyers
  from basket b
    cross join lateral (
      select p.other_sku as sku, p.buyers from product_pairs p
      where p.workspace_id = ${ws} and p.sku = b.sku and p.buyers > 0
        and p.other_sku not in (select sku from excluded)
      order by p.buyers desc nulls last, p.other_sku
      limit ${scan}
    ) t
),
bound as (
  select coalesce(sum(last), 0) as score
  from (select min(buyers) as last from tops group by basket_sku having count(*) = ${scan}) f
),
scored as (
  select c.sku, s.score
  from (select distinct sku from tops) c
    cross join lateral (
      select sum(p.buyers) as score from product_pairs p
      where p.workspace_id = ${ws} and p.sku = any (array(select sku from basket)) and p.other_sku = c.sku
    ) s
  order by s.score desc, c.sku
  limit ${n}
),
exact as (
  select (select score from bound) = 0 or (count(*) = ${n} and min(score) > (select score from bound)) as ok
  from scored
),
co as (
  select sku, score from scored where (select ok from exact)
  union all
  (select p.other_sku, sum(p.buyers)
  from product_pairs p
  where not (select ok from exact) and p.workspace_id = ${ws} and p.sku in (select sku from basket)
    and p.buyers > 0 and p.other_sku not in (select sku from excluded)
  group by p.other_sku
  order by 2 desc, 1
  limit ${n})
),
best as (
  select s.sku, s.buyers from product_stats s
  where s.workspace_id = ${ws} and s.buyers > 0
    and s.sku not in (select sku from excluded) and s.sku not in (select sku from co)
  order by s.buyers desc nulls last, s.sku
  limit ${n}
),
picked as (
  select sku, tier, rank from (
    select sku, 0 as tier, row_number() over (order by score desc, sku) as rank from co
    union all
    select sku, 1, row_number() over (order by buyers desc, sku) from best
  ) u
  order by tier, rank
  limit ${n}
)
select picked.sku, l.title, l.url, l.image_url, l.price::float8 as price
from picked
  cross join lateral (
    select title, url, image_url, price from order_items
    where workspace_id = ${ws} and sku = picked.sku
    order by placed_at desc, order_id desc limit 1
  ) l
order by picked.tier, picked.rank`,
  );
  return rows.map((r) => ({
    title: r.title,
    sku: r.sku,
    url: r.url,
    imageUrl: r.image_url,
    price: r.price === null ? null : Number(r.price),
  }));
}
