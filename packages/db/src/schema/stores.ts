import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaceRef } from './access';
import { oneOf, timestamps, tstz } from './common';

/** Commerce platforms a workspace can connect. */
export const STORE_PLATFORMS = ['shopify'] as const;
export type StorePlatform = (typeof STORE_PLATFORMS)[number];

/**
 * A workspace's connection to its store: the shop's address in the clear, its credentials (webhook
 * signing secret, Admin API token) only as ciphertext made by the caller with the installation key.
 */
export const storeConnections = pgTable(
  'store_connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    platform: text({ enum: STORE_PLATFORMS }).notNull(),
    shopDomain: text().notNull(),
    secretCiphertext: text().notNull(),
    /** The shop's name as its API last answered, when a test succeeded. */
    shopName: text(),
    lastTestedAt: tstz(),
    webhooksRegisteredAt: tstz(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('store_connections_workspace_platform_key').on(t.workspaceId, t.platform),
    oneOf('store_connections', 'platform', STORE_PLATFORMS),
  ],
);

/** What became of a verified store webhook: `pending` until the inbox processed it. */
export const STORE_WEBHOOK_OUTCOMES = ['pending', 'applied', 'stale', 'ignored'] as const;
export type StoreWebhookOutcome = (typeof STORE_WEBHOOK_OUTCOMES)[number];

/**
 * Store webhooks received, one row per sender delivery id, so a redelivery is applied once; the
 * resource and its `updated_at` let a late, older update of the same resource be told apart (stale).
 */
export const storeWebhooks = pgTable(
  'store_webhooks',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    platform: text({ enum: STORE_PLATFORMS }).notNull(),
    webhookId: text().notNull(),
    topic: text().notNull(),
    /** `fulfillment:<id>`, `customer:<id>`…: what the stale check compares; null when never stale. */
    resourceKey: text(),
    resourceUpdatedAt: tstz(),
    outcome: text({ enum: STORE_WEBHOOK_OUTCOMES }).notNull(),
    /** The Hourglass events it was stored as. */
    eventIds: text().array().notNull(),
    /** The verified body while pending; cleared once processed (the events keep what matters). */
    payload: jsonb().$type<unknown>(),
    /** X-Shopify-Triggered-At. */
    triggeredAt: tstz(),
    /** Why processing failed last (it is retried), or why it was ignored. */
    error: text(),
    attempts: integer().notNull().default(0),
    receivedAt: tstz().notNull().defaultNow(),
    processedAt: tstz(),
  },
  (t) => [
    uniqueIndex('store_webhooks_workspace_webhook_key').on(t.workspaceId, t.platform, t.webhookId),
    index('store_webhooks_pending_idx').on(t.receivedAt).where(sql`outcome = 'pending'`),
    index('store_webhooks_resource_idx').on(t.workspaceId, t.platform, t.resourceKey, t.resourceUpdatedAt),
    oneOf('store_webhooks', 'platform', STORE_PLATFORMS),
    oneOf('store_webhooks', 'outcome', STORE_WEBHOOK_OUTCOMES),
  ],
);

/** What a sync does: the first import on connect, or a catch-up of what webhooks may have missed. */
export const STORE_SYNC_KINDS = ['backfill', 'reconcile'] as const;
export type StoreSyncKind = (typeof STORE_SYNC_KINDS)[number];

/** Where a sync stands. */
export const STORE_SYNC_STATUSES = ['running', 'done', 'failed'] as const;
export type StoreSyncStatus = (typeof STORE_SYNC_STATUSES)[number];

/**
 * One import from the store's API, with its progress (what the progress bar shows) and the cursor of
 * the page it is at. At most one runs per workspace at a time.
 */
export const storeSyncs = pgTable(
  'store_syncs',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    platform: text({ enum: STORE_PLATFORMS }).notNull(),
    kind: text({ enum: STORE_SYNC_KINDS }).notNull(),
    status: text({ enum: STORE_SYNC_STATUSES }).notNull().default('running'),
    /** Orders created (backfill) or updated (reconcile) since then are imported. */
    since: tstz().notNull(),
    /** `customers` then `orders`, and the cursor within it. */
    stage: text().notNull().default('customers'),
    cursor: text(),
    customersImported: integer().notNull().default(0),
    ordersImported: integer().notNull().default(0),
    /** Orders the store counted for the period, when it said (the progress bar's 100%). */
    ordersTotal: integer(),
    /** Times the store's rate limit made the import wait. */
    throttled: integer().notNull().default(0),
    error: text(),
    startedAt: tstz().notNull().defaultNow(),
    finishedAt: tstz(),
    updatedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('store_syncs_one_running_key').on(t.workspaceId, t.platform).where(sql`status = 'running'`),
    index('store_syncs_workspace_idx').on(t.workspaceId, t.platform, t.startedAt),
    oneOf('store_syncs', 'platform', STORE_PLATFORMS),
    oneOf('store_syncs', 'kind', STORE_SYNC_KINDS),
    oneOf('store_syncs', 'status', STORE_SYNC_STATUSES),
  ],
);
