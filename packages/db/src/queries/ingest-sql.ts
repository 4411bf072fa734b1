// The SQL statements of ingest (see ingest.ts for how they keep stats exact with few round trips).
import { type SQL, sql } from 'drizzle-orm';
import { Consent } from '../schema';
import type { CustomerInput } from './customers';
import type { EventInput } from './events';
import { type CustomerIdentity, clean } from './locks';
import { NON_REVENUE_ORDER_STATUSES, type OrderInput } from './orders';

// An explicit `undefined` must not overwrite a stored channel state (or its default).
const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Customer part of an apply statement: identity, profile, merge data, the id a new row gets. */
export type CustomerPlan = {
  id: CustomerIdentity;
  newId: string;
  input: CustomerInput;
};

export type OrderPlan = Omit<OrderInput, 'customerId'>;

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

export type ApplyRow = {
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
export function applyStatement(
  workspaceId: string,
  customer: CustomerPlan,
  order: OrderPlan | null,
  event: Omit<EventInput, 'customerId' | 'orderId'> | null,
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
export function recomputeStatsStatement(workspaceId: string, customerIds: string[]): SQL {
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
