import { and, eq, is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from '../../client';
import { type StorePlatform, storeWebhooks } from '../../schema';
import { GroupCommit } from '../ingest/ingest-pipeline';

// The inbox of store webhooks: the route stores each verified delivery (pending) and answers; the
// server's inbox applies them afterwards, oldest first (server/src/shopify/inbox.ts).

/** A verified delivery waiting in the inbox. */
export type PendingStoreWebhook = typeof storeWebhooks.$inferSelect;

/** A verified delivery as the webhook route stores it. */
export interface AcceptedWebhook {
  platform: StorePlatform;
  webhookId: string;
  topic: string;
  triggeredAt: Date | null;
  payload: unknown;
}

/**
 * Stores a verified delivery for the inbox to process (outcome `pending`): true the first time, false
 * for a redelivery of the same id (then nothing changes). On a pool, concurrent deliveries of a
 * workspace are written together (group commit, see GroupCommit): one multi-row insert instead of one
 * per request, which is what lets a webhook storm be answered at nearly the speed of a bare insert.
 */
export async function acceptStoreWebhook(
  db: Executor,
  workspaceId: string,
  input: AcceptedWebhook,
): Promise<boolean> {
  if (is(db, PgTransaction)) return (await insertAccepted(db, workspaceId, [input]))[0] ?? false;
  let commits = acceptCommits.get(db);
  if (!commits) {
    commits = new GroupCommit<AcceptedWebhook, boolean>(
      async (ws, item) => (await insertAccepted(db, ws, [item]))[0] ?? false,
      (ws, items) => insertAccepted(db, ws, items),
    );
    acceptCommits.set(db, commits);
  }
  return commits.submit(workspaceId, input);
}

const acceptCommits = new WeakMap<object, GroupCommit<AcceptedWebhook, boolean>>();

/** Inserts deliveries in one statement; per item, whether it was new (a repeat within the batch is not). */
async function insertAccepted(
  db: Executor,
  workspaceId: string,
  items: AcceptedWebhook[],
): Promise<boolean[]> {
  const key = (i: AcceptedWebhook) => `${i.platform}:${i.webhookId}`;
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    if (!first.has(key(item))) first.set(key(item), i);
  });
  const unique = items.filter((item, i) => first.get(key(item)) === i);
  const rows = await db
    .insert(storeWebhooks)
    .values(unique.map((item) => ({ workspaceId, ...item, outcome: 'pending' as const, eventIds: [] })))
    .onConflictDoNothing({
      target: [storeWebhooks.workspaceId, storeWebhooks.platform, storeWebhooks.webhookId],
    })
    .returning({ platform: storeWebhooks.platform, webhookId: storeWebhooks.webhookId });
  const inserted = new Set(rows.map((r) => `${r.platform}:${r.webhookId}`));
  return items.map((item, i) => first.get(key(item)) === i && inserted.has(key(item)));
}

/**
 * Locks the oldest pending delivery nobody else holds (run it in the transaction that processes it),
 * or null when the inbox is empty. Deliveries that failed `maxAttempts` times are left for a person.
 */
export async function claimPendingStoreWebhook(
  db: Executor,
  platform: StorePlatform,
  maxAttempts = 10,
): Promise<PendingStoreWebhook | null> {
  const [row] = await db
    .select()
    .from(storeWebhooks)
    .where(
      and(
        eq(storeWebhooks.outcome, 'pending'),
        eq(storeWebhooks.platform, platform),
        sql`${storeWebhooks.attempts} < ${maxAttempts}`,
      ),
    )
    .orderBy(storeWebhooks.receivedAt)
    .limit(1)
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** Records a failed processing attempt (the delivery stays pending and is tried again). */
export async function failStoreWebhook(db: Executor, workspaceId: string, id: string, error: string) {
  await db
    .update(storeWebhooks)
    .set({ attempts: sql`${storeWebhooks.attempts} + 1`, error: error.slice(0, 1000) })
    .where(and(eq(storeWebhooks.workspaceId, workspaceId), eq(storeWebhooks.id, id)));
}

/** Deliveries of a workspace still waiting in the inbox. */
export async function countPendingStoreWebhooks(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(storeWebhooks)
    .where(and(eq(storeWebhooks.workspaceId, workspaceId), eq(storeWebhooks.outcome, 'pending')));
  return row?.n ?? 0;
}
