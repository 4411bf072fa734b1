import { and, asc, desc, eq, gte, inArray, like, lte, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { auditLog, customers, journeyRuns, journeys, messages, TERMINAL_RUN_STATUSES } from '../../schema';
import type { Message } from '../messages/messages';
import type { Run } from './runs';

// Queries behind the customer-success views: runs with journey names, the message log, manual actions.

/** A run with its journey's name. */
export type RunWithJourney = Run & { journeyName: string };

/** Filters of the message log; `from` / `to` bound created_at (inclusive); `id` picks one message. */
export type MessageLogFilter = {
  id?: string | undefined;
  channel?: 'email' | 'sms' | undefined;
  status?: string | undefined;
  journeyId?: string | undefined;
  customerId?: string | undefined;
  runId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
};

/** A message with whose it is (no customer for a test send) and which journey sent it. */
export type MessageLogEntry = Message & {
  customerEmail: string | null;
  customerName: string | null;
  /** Name, else email, phone or external id: how people recognise the customer (null: a test send). */
  customerLabel: string | null;
  journeyName: string | null;
};

/** The workspace's messages, newest first. Status `outbox` means "handed to the local outbox provider". */
export async function listMessageLog(
  db: Executor,
  workspaceId: string,
  f: MessageLogFilter = {},
): Promise<MessageLogEntry[]> {
  const statusCond =
    f.status === 'outbox'
      ? and(eq(messages.provider, 'outbox'), sql`${messages.sentAt} is not null`)
      : f.status
        ? eq(messages.status, f.status as Message['status'])
        : undefined;
  const rows = await db
    .select({
      message: messages,
      email: customers.email,
      first: customers.firstName,
      last: customers.lastName,
      phone: customers.phone,
      externalId: customers.externalId,
      journeyName: journeys.name,
    })
    .from(messages)
    // Test sends have no customer: they are listed all the same, with their recipient.
    .leftJoin(
      customers,
      and(eq(customers.workspaceId, messages.workspaceId), eq(customers.id, messages.customerId)),
    )
    .leftJoin(
      journeys,
      and(eq(journeys.workspaceId, messages.workspaceId), eq(journeys.id, messages.journeyId)),
    )
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        f.id ? eq(messages.id, f.id) : undefined,
        f.channel ? eq(messages.channel, f.channel) : undefined,
        statusCond,
        f.journeyId ? eq(messages.journeyId, f.journeyId) : undefined,
        f.customerId ? eq(messages.customerId, f.customerId) : undefined,
        f.runId ? eq(messages.runId, f.runId) : undefined,
        f.from ? gte(messages.createdAt, f.from) : undefined,
        f.to ? lte(messages.createdAt, f.to) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(Math.min(f.limit ?? 50, 500))
    .offset(f.offset ?? 0);
  return rows.map((r) => {
    const customerName = [r.first, r.last].filter(Boolean).join(' ') || null;
    return {
      ...r.message,
      customerEmail: r.email,
      customerName,
      customerLabel: customerName || r.email || r.phone || r.externalId || null,
      journeyName: r.journeyName,
    };
  });
}

/** How many manual retries exist for a message's idempotency key (keys `<key>:retry:<n>`). */
export async function countMessageRetries(
  db: Executor,
  workspaceId: string,
  idempotencyKey: string,
): Promise<number> {
  const escaped = idempotencyKey.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), like(messages.idempotencyKey, `${escaped}:retry:%`)));
  return row?.n ?? 0;
}

/**
 * Marks an active run cancelled in the database (the workflow records the same when it handles the
 * cancel signal; this covers a workflow that is already gone). Returns null if it had already ended.
 */
export async function markRunCancelled(
  db: Executor,
  workspaceId: string,
  runId: string,
  at: Date,
): Promise<Run | null> {
  const [row] = await db
    .update(journeyRuns)
    .set({ status: 'cancelled', endReason: 'cancelled', endedAt: at, waitingFor: null })
    .where(
      and(
        eq(journeyRuns.workspaceId, workspaceId),
        eq(journeyRuns.id, runId),
        notInArray(journeyRuns.status, [...TERMINAL_RUN_STATUSES]),
      ),
    )
    .returning();
  return row ?? null;
}

/** Messages with these ids in the workspace. */
export async function getMessagesByIds(db: Executor, workspaceId: string, ids: string[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), inArray(messages.id, ids)));
}

/** Audit entries about one target ("run:<id>", "message:<id>"), oldest first. */
export async function listAuditForTarget(
  db: Executor,
  workspaceId: string,
  targets: string[],
): Promise<(typeof auditLog.$inferSelect)[]> {
  if (targets.length === 0) return [];
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), inArray(auditLog.target, targets)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}
