// The apply statement of ingest, and how its statements are compiled (see ingest.ts for how they keep
// stats exact with few round trips; ingest-sql-around.ts has the statements around the apply).
// Each statement is built once per shape with named placeholders and compiled to its text; a call
// only computes the values, so the hot path never rebuilds SQL.
import { createHash } from 'node:crypto';
import { is, Placeholder, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { givenColumns, unlessGiven } from '../../client';
import { Consent } from '../../schema';
import { normalizeOrderCodes, redeemCtes } from '../discounts/redeem-sql';
import type { CustomerInput, EventInput, OrderInput } from './inputs';
import { type CustomerIdentity, clean } from './locks';
import { aovSql, countsTowardStats } from './order-stats';

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

/** Order fields an event may carry, with their columns; one it leaves out keeps its stored value. */
const ORDER_FIELDS = [
  ['total', 'total'],
  ['currency', 'currency'],
  ['items', 'items'],
  ['status', 'status'],
  ['placedAt', 'placed_at'],
  ['fulfilledAt', 'fulfilled_at'],
  ['deliveredAt', 'delivered_at'],
  ['refundedAt', 'refunded_at'],
  ['discountCodes', 'discount_codes'],
] as const satisfies readonly (readonly [keyof OrderPlan, string])[];

type EventPlan = Omit<EventInput, 'customerId' | 'orderId'>;

/**
 * A statement compiled once: its text, prepared-statement name ('' for one planned on every call), and
 * where each parameter comes from.
 */
export type Compiled = { name: string; text: string; slots: Array<string | { value: unknown }> };

const dialect = new PgDialect();

/** Compiles `query` (values as `sql.placeholder(name)`, constants inline) to reusable text. */
export function compile(query: SQL): Compiled {
  const built = dialect.sqlToQuery(query);
  return {
    name: `hg_${createHash('sha1').update(built.sql).digest('hex').slice(0, 20)}`,
    text: built.sql,
    slots: built.params.map((p) => (is(p, Placeholder) ? p.name : { value: p })),
  };
}

/** The parameter list of a compiled statement for `values`. */
export function bind(c: Compiled, values: Record<string, unknown>): unknown[] {
  return c.slots.map((s) => {
    if (typeof s !== 'string') return s.value;
    const v = values[s];
    if (v === undefined) throw new Error(`ingest statement: no value for ${s}`);
    return v;
  });
}

const v = (name: string) => sql.placeholder(name);
// Consent of a new customer whose event says nothing about consent: the schema defaults, once.
const defaultConsent = JSON.stringify(Consent.parse({}));
/** The order statuses that do not count as revenue, as a text[] parameter. */
const json = (x: unknown) => (x === undefined || x === null ? null : JSON.stringify(x));
const ts = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * What decides an apply statement's text: which identities, whether an order, whether it carries
 * discount codes (to redeem), and whether an event.
 */
type Shape = {
  externalId: boolean;
  email: boolean;
  phone: boolean;
  order: boolean;
  codes: boolean;
  event: boolean;
};

/** The CTEs that find the customer (`m`), merge into it (`upd`) or create it (`ins`). */
function customerCtes(shape: Shape, gate: SQL): { match: SQL; write: SQL } {
  const ws = sql`${v('ws')}::uuid`;
  // A known external id that did not match must not be merged into another identified customer.
  const unclaimed = shape.externalId ? sql` and external_id is null` : sql``;
  // Each branch is fenced (offset 0) so that it is planned as an equality lookup on its own index even
  // in a generic plan made while the table was small, then sorted: never a walk of the workspace's
  // customers in created_at order.
  const oldest = (r: number, where: SQL) =>
    sql`(select id, ${sql.raw(String(r))} as r from (select id, created_at from customers where workspace_id = ${ws} and ${where} offset 0) f order by created_at limit 1)`;
  const branches: SQL[] = [];
  if (shape.externalId) branches.push(oldest(1, sql`external_id = ${v('externalId')}::text`));
  if (shape.email) branches.push(oldest(2, sql`lower(email) = ${v('emailLower')}::text${unclaimed}`));
  if (shape.phone) branches.push(oldest(3, sql`phone = ${v('phone')}::text${unclaimed}`));
  const withOrder = shape.order;
  // Stats: incremental on an existing customer; a new customer has only this order.
  const stats = withOrder
    ? sql`,
    orders_count = c.orders_count + d.dn,
    total_spent = c.total_spent + d.dt,
    aov = ${aovSql(sql`(c.total_spent + d.dt)`, sql`(c.orders_count + d.dn)`)},
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

  const match = sql`m as (
  select id from (${sql.join(branches, sql` union all `)}) s order by r limit 1
)`;
  const write = sql`upd as (
  update customers c set
    external_id = coalesce(c.external_id, ${v('externalId')}::text),
    email = coalesce(${v('email')}::text, c.email),
    phone = coalesce(${v('phone')}::text, c.phone),
    first_name = coalesce(${v('firstName')}::text, c.first_name),
    last_name = coalesce(${v('lastName')}::text, c.last_name),
    timezone = coalesce(${v('timezone')}::text, c.timezone),
    locale = coalesce(${v('locale')}::text, c.locale),
    birthday = coalesce(${v('birthday')}::date, c.birthday),
    consent = c.consent || coalesce(${v('consentPatch')}::jsonb, '{}'::jsonb),
    attributes = c.attributes || coalesce(${v('attributes')}::jsonb, '{}'::jsonb),
    tags = case when ${v('tagsMerge')}::text[] is null then c.tags
      else array(select distinct t from unnest(c.tags || ${v('tagsMerge')}::text[]) as t order by t) end,
    updated_at = now()${stats}
  ${withOrder ? sql`from d` : sql``}
  -- By primary key alone (m only holds this workspace's customers): a generic plan made while the
  -- table was small must not pick a workspace-wide index and filter every customer.
  where c.id = (select id from m) and ${gate}
  returning c.id
),
ins as (
  insert into customers (id, workspace_id, external_id, email, phone, first_name, last_name, timezone,
    locale, birthday, consent, attributes, tags${newStatsCols})
  select ${v('newId')}::uuid, ${ws}, ${v('externalId')}::text, ${v('email')}::text, ${v('phone')}::text,
    ${v('firstName')}::text, ${v('lastName')}::text, ${v('timezone')}::text, ${v('locale')}::text, ${v('birthday')}::date,
    ${v('consentNew')}::jsonb, coalesce(${v('attributes')}::jsonb, '{}'::jsonb), ${v('tagsNew')}::text[]${newStats}
  ${withOrder ? sql`from d` : sql``}
  where not exists (select 1 from m) and ${gate}
  returning id
)`;
  return { match, write };
}

/**
 * The CTEs that upsert the order (`ord`) and derive the stats deltas (`d`). An event may name an
 * existing order by external id alone: only the columns it gives change (the deltas then come out
 * of the stored total and placed_at, so stats are untouched).
 */
function orderCtes(customerId: SQL, gate: SQL): SQL {
  const ws = sql`${v('ws')}::uuid`;
  const given = (column: (typeof ORDER_FIELDS)[number][1], value: SQL) => unlessGiven('o', column, value);
  return sql`old as (
  select customer_id, total, placed_at,
    ${countsTowardStats()} as counts
  from orders where workspace_id = ${ws} and external_id = ${v('orderExternalId')}::text
),
ord as (
  insert into orders as o (workspace_id, external_id, customer_id, total, currency, items, status,
    placed_at, fulfilled_at, delivered_at, refunded_at, discount_codes)
  select ${ws}, ${v('orderExternalId')}::text, ${customerId}, coalesce(${v('total')}::numeric, 0),
    coalesce(${v('currency')}::text, 'USD'),
    coalesce(${v('items')}::jsonb, '[]'::jsonb), coalesce(${v('status')}::text, 'placed'),
    coalesce(${v('placedAt')}::timestamptz, now()), ${v('fulfilledAt')}::timestamptz, ${v('deliveredAt')}::timestamptz,
    ${v('refundedAt')}::timestamptz, coalesce(${v('discountCodes')}::text[], '{}'::text[])
  where ${gate}
  on conflict (workspace_id, external_id) do update set
    customer_id = excluded.customer_id,
    total = ${given('total', sql`${v('total')}::numeric`)},
    currency = ${given('currency', sql`${v('currency')}::text`)},
    items = ${given('items', sql`${v('items')}::jsonb`)},
    status = ${given('status', sql`${v('status')}::text`)},
    placed_at = ${given('placed_at', sql`${v('placedAt')}::timestamptz`)},
    fulfilled_at = ${given('fulfilled_at', sql`${v('fulfilledAt')}::timestamptz`)},
    delivered_at = ${given('delivered_at', sql`${v('deliveredAt')}::timestamptz`)},
    refunded_at = ${given('refunded_at', sql`${v('refundedAt')}::timestamptz`)},
    discount_codes = ${given('discount_codes', sql`${v('discountCodes')}::text[]`)},
    updated_at = now()
  returning o.id, o.customer_id, o.total, o.placed_at,
    ${countsTowardStats('o')} as counts
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

// The apply statement also leaves, for the rest of its transaction, which customers need a recompute
// (and which ones an order moved away from), added to what earlier applies of the transaction left,
// so the statements that follow in the same pipeline (ingest-sql-around.ts) can act on that without a
// round trip to the client.
export const RECOMPUTE_SETTING = 'hourglass.recompute';
export const MOVED_FROM_SETTING = 'hourglass.recompute_previous';

/**
 * Appends a comma-separated `list` (or nothing, when null) to a transaction-local setting, so that
 * several apply statements in one transaction leave the union of what they flagged.
 */
const appendSetting = (name: string, list: SQL) =>
  sql`set_config(${sql.raw(`'${name}'`)}, concat_ws(',', nullif(current_setting(${sql.raw(`'${name}'`)}, true), ''), ${list}), true)`;

export type ApplyRow = {
  inserted: boolean;
  created: boolean;
  customer_id: string;
  order_id: string | null;
  recompute: boolean | null;
  recompute_previous: string | null;
};

/**
 * The apply statement of one shape of event (or, without an event, of a customer upsert alone). The
 * gate makes it a no-op when the event id is already stored.
 */
function applySql(shape: Shape): SQL {
  const ws = sql`${v('ws')}::uuid`;
  const gate = shape.event ? sql`(select ok from gate)` : sql`true`;
  const customerId = sql`coalesce((select id from m), ${v('newId')}::uuid)`;
  const ctes: SQL[] = [];
  if (shape.event)
    ctes.push(sql`ex as (
  select customer_id, order_id from events where workspace_id = ${ws} and id = ${v('eventId')}::text
),
gate as (select not exists (select 1 from ex) as ok)`);
  const { match, write } = customerCtes(shape, gate);
  ctes.push(match);
  if (shape.order) ctes.push(orderCtes(customerId, gate));
  if (shape.codes) ctes.push(redeemCtes(ws));
  ctes.push(write);
  if (shape.event)
    ctes.push(sql`ev as (
  insert into events (workspace_id, id, type, customer_id, order_id, properties, occurred_at)
  select ${ws}, ${v('eventId')}::text, ${v('eventType')}::text, ${customerId},
    ${shape.order ? sql`(select order_id from d)` : sql`null::uuid`}, ${v('properties')}::jsonb,
    coalesce(${v('occurredAt')}::timestamptz, now())
  where ${gate}
  returning id
),
ob as (
  insert into event_outbox (workspace_id, event_id) select ${ws}, id from ev returning id
)`);
  const storedOr = (fresh: SQL, column: 'customer_id' | 'order_id') =>
    shape.event ? sql`case when ${gate} then ${fresh} else (select ${sql.raw(column)} from ex) end` : fresh;
  const orderId = shape.order ? sql`(select order_id from d)` : sql`null::uuid`;
  return sql`with ${sql.join(ctes, sql`,\n`)}
select ${gate} as inserted, not exists (select 1 from m) as created,
  ${storedOr(customerId, 'customer_id')} as customer_id,
  ${storedOr(orderId, 'order_id')} as order_id,
  ${shape.order ? sql`(select recompute from d)` : sql`false`} as recompute,
  ${shape.order ? sql`(select prev_customer_id from d where moved)` : sql`null::uuid`} as recompute_previous${
    shape.order
      ? sql`,
  ${appendSetting(
    RECOMPUTE_SETTING,
    sql`nullif((select concat_ws(',', case when recompute then customer_id end,
    case when moved then prev_customer_id end) from d), '')`,
  )} is not null as flagged,
  ${appendSetting(MOVED_FROM_SETTING, sql`(select prev_customer_id::text from d where moved)`)} is not null as flagged_previous`
      : sql``
  }`;
}

const compiledApply = new Map<string, Compiled>();

/**
 * The apply statement of one event (or, without `event`, of a customer upsert alone) and its
 * parameters: compiled once per shape, bound per call.
 */
export function applyStatement(
  workspaceId: string,
  customer: CustomerPlan,
  order: OrderPlan | null,
  event: EventPlan | null,
): { statement: Compiled; values: unknown[] } {
  const { id, input } = customer;
  const codes = order ? normalizeOrderCodes(order.discountCodes) : undefined;
  const shape: Shape = {
    externalId: !!id.externalId,
    email: !!id.email,
    phone: !!id.phone,
    order: !!order,
    codes: !!codes?.length,
    event: !!event,
  };
  const key = `${+shape.externalId}${+shape.email}${+shape.phone}${+shape.order}${+shape.codes}${+shape.event}`;
  let statement = compiledApply.get(key);
  if (!statement) {
    statement = compile(applySql(shape));
    // Redeeming codes: planned per call with its values, never prepared (see redeem-sql.ts).
    if (shape.codes) statement = { ...statement, name: '' };
    compiledApply.set(key, statement);
  }
  const values: Record<string, unknown> = {
    ws: workspaceId,
    externalId: id.externalId,
    email: id.email,
    emailLower: id.email?.toLowerCase() ?? null,
    phone: id.phone,
    firstName: clean(input.firstName),
    lastName: clean(input.lastName),
    timezone: clean(input.timezone),
    locale: clean(input.locale),
    birthday: clean(input.birthday),
    consentPatch: input.consent ? json(definedOnly(input.consent)) : null,
    consentNew: input.consent ? json(Consent.parse(definedOnly(input.consent))) : defaultConsent,
    attributes: json(input.attributes),
    tagsMerge: input.tags?.length ? input.tags : null,
    tagsNew: [...new Set(input.tags ?? [])],
    newId: customer.newId,
  };
  if (order) {
    values.orderExternalId = order.externalId;
    values.total = order.total;
    values.currency = order.currency;
    values.items = json(order.items);
    values.status = order.status ?? null;
    values.placedAt = ts(order.placedAt);
    values.fulfilledAt = ts(order.fulfilledAt);
    values.deliveredAt = ts(order.deliveredAt);
    values.refundedAt = ts(order.refundedAt);
    values.discountCodes = codes;
    if (codes?.length) values.codesUpper = codes.map((c) => c.toUpperCase());
    values.given = givenColumns(ORDER_FIELDS, order);
  }
  if (event) {
    values.eventId = event.id;
    values.eventType = event.type;
    values.properties = json(event.properties ?? {});
    values.occurredAt = ts(event.occurredAt);
  }
  for (const k in values) if (values[k] === undefined) values[k] = null;
  return { statement, values: bind(statement, values) };
}
