import { index, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { sameWorkspace, tstz } from './common';
import { orders } from './customers';

// What product recommendations read. orders.items (jsonb) stays the source of truth; these tables are
// kept in step with it by every order write, in the same transaction (queries/recommendations/
// order-items.ts), because counting co-purchases from the jsonb at query time scans the workspace's
// whole order history.

/** One product of an order: an order's items with a sku, one row per sku, as its latest write left them. */
export const orderItems = pgTable(
  'order_items',
  {
    // No reference to workspaces of its own: the order's reference covers it (and deletes with it).
    workspaceId: uuid().notNull(),
    orderId: uuid().notNull(),
    sku: text().notNull(),
    customerId: uuid().notNull(),
    title: text().notNull(),
    url: text(),
    imageUrl: text(),
    price: numeric({ precision: 14, scale: 2, mode: 'number' }),
    placedAt: tstz().notNull(),
  },
  (t) => [
    primaryKey({ name: 'order_items_pkey', columns: [t.workspaceId, t.orderId, t.sku] }),
    sameWorkspace('order_items_order_fk', [t.workspaceId, t.orderId], [orders.workspaceId, orders.id]),
    // A customer's skus: what they already bought, and their sets when an order changes.
    index('order_items_customer_idx').on(t.workspaceId, t.customerId, t.sku),
    // A sku's most recent line: the title, link, image and price a recommendation shows.
    index('order_items_sku_recent_idx').on(t.workspaceId, t.sku, t.placedAt, t.orderId),
  ],
);

/** Per sku, how many customers of the workspace bought it (best sellers). */
export const productStats = pgTable(
  'product_stats',
  {
    workspaceId: workspaceRef(),
    sku: text().notNull(),
    buyers: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: 'product_stats_pkey', columns: [t.workspaceId, t.sku] }),
    index('product_stats_best_idx').on(t.workspaceId, t.buyers.desc(), t.sku),
  ],
);

/** Per ordered pair of skus, how many customers of the workspace bought both (co-purchases). */
export const productPairs = pgTable(
  'product_pairs',
  {
    workspaceId: workspaceRef(),
    sku: text().notNull(),
    otherSku: text().notNull(),
    buyers: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: 'product_pairs_pkey', columns: [t.workspaceId, t.sku, t.otherSku] }),
    // A sku's partners, most co-purchased first: a recommendation reads the first few of each basket
    // sku, however long the lists grow (see recommendations.ts).
    index('product_pairs_top_idx').on(t.workspaceId, t.sku, t.buyers.desc(), t.otherSku),
  ],
);
