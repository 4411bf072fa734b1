import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { eventOutbox, type StorePlatform, type StoreSyncKind, storeSyncs } from '../../schema';

/** A store sync as stored. */
export type StoreSync = typeof storeSyncs.$inferSelect;

/** Starts a sync; null when one is already running for the workspace (at most one at a time). */
export async function startStoreSync(
  db: Executor,
  workspaceId: string,
  input: { platform: StorePlatform; kind: StoreSyncKind; since: Date },
): Promise<StoreSync | null> {
  const [row] = await db
    .insert(storeSyncs)
    .values({ workspaceId, ...input })
    .onConflictDoNothing({
      target: [storeSyncs.workspaceId, storeSyncs.platform],
      where: sql`status = 'running'`,
    })
    .returning();
  return row ?? null;
}

/** Saves progress (counts are added, the stage and cursor replaced) after each page. */
export async function advanceStoreSync(
  db: Executor,
  workspaceId: string,
  id: string,
  step: {
    stage?: string;
    cursor?: string | null;
    customers?: number;
    orders?: number;
    ordersTotal?: number | null;
    throttled?: number;
  },
): Promise<void> {
  await db
    .update(storeSyncs)
    .set({
      ...(step.stage !== undefined && { stage: step.stage }),
      ...(step.cursor !== undefined && { cursor: step.cursor }),
      ...(step.ordersTotal !== undefined && { ordersTotal: step.ordersTotal }),
      customersImported: sql`${storeSyncs.customersImported} + ${step.customers ?? 0}`,
      ordersImported: sql`${storeSyncs.ordersImported} + ${step.orders ?? 0}`,
      throttled: sql`${storeSyncs.throttled} + ${step.throttled ?? 0}`,
      updatedAt: new Date(),
    })
    .where(and(eq(storeSyncs.workspaceId, workspaceId), eq(storeSyncs.id, id)));
}

/** Ends a sync as done, or failed with a reason that names no remote data. */
export async function finishStoreSync(
  db: Executor,
  workspaceId: string,
  id: string,
  result: { status: 'done' | 'failed'; error?: string | null },
): Promise<void> {
  const now = new Date();
  await db
    .update(storeSyncs)
    .set({ status: result.status, error: result.error ?? null, finishedAt: now, updatedAt: now })
    .where(and(eq(storeSyncs.workspaceId, workspaceId), eq(storeSyncs.id, id)));
}

/** The workspace's latest sync of a kind (any kind when omitted), or null. */
export async function latestStoreSync(
  db: Executor,
  workspaceId: string,
  platform: StorePlatform,
  kind?: StoreSyncKind,
): Promise<StoreSync | null> {
  const [row] = await db
    .select()
    .from(storeSyncs)
    .where(
      and(
        eq(storeSyncs.workspaceId, workspaceId),
        eq(storeSyncs.platform, platform),
        kind ? eq(storeSyncs.kind, kind) : undefined,
      ),
    )
    .orderBy(desc(storeSyncs.startedAt))
    .limit(1);
  return row ?? null;
}

/** Deletes the outbox rows of these events: imported history is stored but never routed to journeys. */
export async function skipRouting(db: Executor, workspaceId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .delete(eventOutbox)
    .where(and(eq(eventOutbox.workspaceId, workspaceId), inArray(eventOutbox.eventId, eventIds)));
}
