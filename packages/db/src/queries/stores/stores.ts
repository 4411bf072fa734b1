import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import {
  orders,
  type StorePlatform,
  type StoreWebhookOutcome,
  storeConnections,
  storeWebhooks,
} from '../../schema';

// Like workspace secrets, a store's credentials arrive here already encrypted by the caller: no query
// in this package sees or returns them in the clear.

/** A store connection as stored (credentials as ciphertext). */
export type StoreConnection = typeof storeConnections.$inferSelect;

/** The workspace's connection to a platform, or null. */
export async function getStoreConnection(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
): Promise<StoreConnection | null> {
  const [row] = await db
    .select()
    .from(storeConnections)
    .where(and(eq(storeConnections.workspaceId, workspaceId), eq(storeConnections.platform, platform)));
  return row ?? null;
}

/** Connects (or reconnects) a store: a new shop or new credentials start untested and unregistered. */
export async function upsertStoreConnection(
  db: Executor,
  workspaceId: string,
  input: { platform: StorePlatform; shopDomain: string; secretCiphertext: string; createdBy?: string | null },
): Promise<StoreConnection> {
  const fresh = {
    shopDomain: input.shopDomain,
    secretCiphertext: input.secretCiphertext,
    shopName: null,
    lastTestedAt: null,
    webhooksRegisteredAt: null,
  };
  const [row] = await db
    .insert(storeConnections)
    .values({ workspaceId, platform: input.platform, createdBy: input.createdBy ?? null, ...fresh })
    .onConflictDoUpdate({
      target: [storeConnections.workspaceId, storeConnections.platform],
      set: { ...fresh, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('store connection upsert returned nothing');
  return row;
}

/** Records what a connection test or a webhook registration found; null when not connected. */
export async function markStoreConnection(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
  change: { shopName?: string; lastTestedAt?: Date; webhooksRegisteredAt?: Date },
): Promise<StoreConnection | null> {
  const [row] = await db
    .update(storeConnections)
    .set(change)
    .where(and(eq(storeConnections.workspaceId, workspaceId), eq(storeConnections.platform, platform)))
    .returning();
  return row ?? null;
}

/** Disconnects; false when there was nothing to disconnect. */
export async function deleteStoreConnection(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
): Promise<boolean> {
  const rows = await db
    .delete(storeConnections)
    .where(and(eq(storeConnections.workspaceId, workspaceId), eq(storeConnections.platform, platform)))
    .returning({ id: storeConnections.id });
  return rows.length > 0;
}

/** One received store webhook, as recorded. */
export interface StoreWebhookInput {
  platform: StorePlatform;
  webhookId: string;
  topic: string;
  resourceKey: string | null;
  resourceUpdatedAt: Date | null;
  outcome: StoreWebhookOutcome;
  eventIds: string[];
}

/**
 * Claims a delivery id: true the first time, false for a redelivery. A concurrent delivery of the
 * same id waits on the unique index until the first transaction ends, so only one ever applies.
 */
export async function claimStoreWebhook(
  db: Executor,
  workspaceId: string,
  input: StoreWebhookInput,
): Promise<boolean> {
  const rows = await db
    .insert(storeWebhooks)
    .values({ workspaceId, ...input })
    .onConflictDoNothing({
      target: [storeWebhooks.workspaceId, storeWebhooks.platform, storeWebhooks.webhookId],
    })
    .returning({ id: storeWebhooks.id });
  return rows.length > 0;
}

/** Sets what a claimed delivery came to (after the stale check and ingest of the same transaction). */
export async function settleStoreWebhook(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
  webhookId: string,
  result: Pick<StoreWebhookInput, 'outcome' | 'eventIds' | 'resourceKey' | 'resourceUpdatedAt'> & {
    error?: string | null;
  },
): Promise<void> {
  await db
    .update(storeWebhooks)
    .set({ ...result, payload: null, processedAt: new Date() })
    .where(
      and(
        eq(storeWebhooks.workspaceId, workspaceId),
        eq(storeWebhooks.platform, platform),
        eq(storeWebhooks.webhookId, webhookId),
      ),
    );
}

/**
 * Serializes the updates of one resource (transaction-scoped advisory lock) and answers the newest
 * `updated_at` applied to it so far, so an older update arriving late is recognised as stale.
 */
export async function lockNewestResourceUpdate(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
  resourceKey: string,
): Promise<Date | null> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}:${platform}:${resourceKey}`}, 0))`,
  );
  const [row] = await db
    .select({ at: storeWebhooks.resourceUpdatedAt })
    .from(storeWebhooks)
    .where(
      and(
        eq(storeWebhooks.workspaceId, workspaceId),
        eq(storeWebhooks.platform, platform),
        eq(storeWebhooks.resourceKey, resourceKey),
        eq(storeWebhooks.outcome, 'applied'),
      ),
    )
    .orderBy(sql`${storeWebhooks.resourceUpdatedAt} desc nulls last`)
    .limit(1);
  return row?.at ?? null;
}

/** The latest webhooks received (newest first), for the connection page. */
export async function listStoreWebhooks(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
  limit = 20,
) {
  return db
    .select()
    .from(storeWebhooks)
    .where(and(eq(storeWebhooks.workspaceId, workspaceId), eq(storeWebhooks.platform, platform)))
    .orderBy(desc(storeWebhooks.receivedAt))
    .limit(limit);
}

/** What a store says about where an order stands, beyond what events carry. */
export interface OrderTrackingInput {
  statusUrl?: string | null;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
  trackingCompany?: string | null;
}

/**
 * Sets an order's status page and tracking, only the fields given (an absent one keeps its value);
 * false when the workspace has no order with this external id. Callers skip stale updates first.
 */
export async function setOrderTracking(
  db: Executor,
  workspaceId: string,
  externalId: string,
  input: OrderTrackingInput,
): Promise<boolean> {
  const change = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  if (Object.keys(change).length === 0) return false;
  const rows = await db
    .update(orders)
    .set(change)
    .where(and(eq(orders.workspaceId, workspaceId), eq(orders.externalId, externalId)))
    .returning({ id: orders.id });
  return rows.length > 0;
}

/** Every workspace's connection to a platform (the periodic reconciler walks them). */
export async function listStoreConnections(
  db: Executor,
  platform: StorePlatform,
): Promise<{ workspaceId: string; shopDomain: string }[]> {
  return db
    .select({ workspaceId: storeConnections.workspaceId, shopDomain: storeConnections.shopDomain })
    .from(storeConnections)
    .where(eq(storeConnections.platform, platform));
}
