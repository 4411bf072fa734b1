import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { sameWorkspace, timestamps, tstz } from './common';
import type { Consent, JsonObject, OrderItem } from './types';

// Money is numeric(14,2) in the database (exact sums) and a JS number in code: two decimals
// below 10^12 round-trip exactly through a double.
const money = () => numeric({ precision: 14, scale: 2, mode: 'number' });

/**
 * Month and day (`month * 100 + day`) of a customer's birthday and of their first order's UTC date:
 * the date sweep narrows customers to the few days that can be due in some time zone through these
 * indexed expressions (queries/journeys/date-triggers), so they must be used verbatim there.
 */
export const BIRTHDAY_DAY = '(extract(month from birthday)::int * 100 + extract(day from birthday)::int)';
export const FIRST_ORDER_DAY =
  "(extract(month from first_order_at at time zone 'UTC')::int * 100 + extract(day from first_order_at at time zone 'UTC')::int)";

/** A brand's shopper: identity, consent, free-form attributes and derived order stats. */
export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    externalId: text(),
    email: text(),
    phone: text(),
    firstName: text(),
    lastName: text(),
    timezone: text(),
    locale: text(),
    consent: jsonb().$type<Consent>().notNull().default({ email: 'unknown', sms: 'unknown' }),
    attributes: jsonb().$type<JsonObject>().notNull().default({}),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    birthday: date({ mode: 'string' }),
    // Derived from orders by recomputeCustomerStats; never written directly by the API.
    ordersCount: integer().notNull().default(0),
    totalSpent: money().notNull().default(0),
    aov: money().notNull().default(0),
    firstOrderAt: tstz(),
    lastOrderAt: tstz(),
    ...timestamps(),
  },
  (t) => [
    unique('customers_workspace_id_id_key').on(t.workspaceId, t.id),
    uniqueIndex('customers_workspace_external_key')
      .on(t.workspaceId, t.externalId)
      .where(sql`external_id is not null`),
    // Pattern ops serve both the email look-ups of ingest (=) and the prefix search (like 'x%'),
    // as do the name indexes: search stays an index read however many customers there are.
    index('customers_workspace_email_idx').on(t.workspaceId, sql`lower(email) text_pattern_ops`),
    index('customers_workspace_first_name_idx').on(t.workspaceId, sql`lower(first_name) text_pattern_ops`),
    index('customers_workspace_last_name_idx').on(t.workspaceId, sql`lower(last_name) text_pattern_ops`),
    index('customers_workspace_full_name_idx').on(
      t.workspaceId,
      sql`lower(first_name || ' ' || last_name) text_pattern_ops`,
    ),
    index('customers_workspace_phone_idx').on(t.workspaceId, t.phone),
    index('customers_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('customers_workspace_birthday_day_idx')
      .on(t.workspaceId, sql.raw(BIRTHDAY_DAY))
      .where(sql`birthday is not null`),
    index('customers_workspace_first_order_day_idx')
      .on(t.workspaceId, sql.raw(FIRST_ORDER_DAY))
      .where(sql`first_order_at is not null`),
  ],
);

/** A purchase; feeds customer stats and order-scoped journeys. */
export const orders = pgTable(
  'orders',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    customerId: uuid().notNull(),
    externalId: text().notNull(),
    total: money().notNull().default(0),
    currency: text().notNull().default('USD'),
    items: jsonb().$type<OrderItem[]>().notNull().default([]),
    /** Discount codes the shopper used, as the shop sent them; matching Hourglass codes are redeemed. */
    discountCodes: text().array().notNull().default(sql`'{}'::text[]`),
    status: text().notNull().default('placed'),
    placedAt: tstz().notNull().defaultNow(),
    fulfilledAt: tstz(),
    deliveredAt: tstz(),
    refundedAt: tstz(),
    /** The shop's order status page and the latest parcel's tracking, as the store reported them. */
    statusUrl: text(),
    trackingNumber: text(),
    trackingUrl: text(),
    trackingCompany: text(),
    ...timestamps(),
  },
  (t) => [
    unique('orders_workspace_id_id_key').on(t.workspaceId, t.id),
    sameWorkspace('orders_customer_fk', [t.workspaceId, t.customerId], [customers.workspaceId, customers.id]),
    uniqueIndex('orders_workspace_external_key').on(t.workspaceId, t.externalId),
    index('orders_workspace_customer_idx').on(t.workspaceId, t.customerId, t.placedAt),
  ],
);
