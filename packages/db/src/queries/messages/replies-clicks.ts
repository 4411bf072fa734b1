import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { customers, inboundMessages, journeyRuns, messageClicks, messages } from '../../schema';
import type { Message } from './messages';

/**
 * Which journey message an engagement is about: the ids a `message.*` or `sms.replied` event carries so
 * a wait or a branch can ask about this journey's own message. Null ids: a message sent outside a run.
 */
export type MessageAttribution = {
  messageId: string;
  runId: string | null;
  journeyId: string | null;
  journeyVersion: number | null;
  stepId: string | null;
};

/** A message with the ids engagement with it is attributed to. */
export type AttributedMessage = { message: Message; attribution: MessageAttribution };

const attributed = (message: Message, version: number | null): AttributedMessage => ({
  message,
  attribution: {
    messageId: message.id,
    runId: message.runId,
    journeyId: message.journeyId,
    journeyVersion: version,
    stepId: message.stepId,
  },
});

const withRun = and(eq(journeyRuns.workspaceId, messages.workspaceId), eq(journeyRuns.id, messages.runId));

/** A message of any workspace by id, with its run's journey version (redirect tokens name no workspace). */
export async function getAttributedMessage(
  db: Executor,
  messageId: string,
): Promise<AttributedMessage | null> {
  const [row] = await db
    .select({ message: messages, version: journeyRuns.version })
    .from(messages)
    .leftJoin(journeyRuns, withRun)
    .where(eq(messages.id, messageId));
  return row ? attributed(row.message, row.version) : null;
}

/** Who a text from a number is from in a workspace, and which of our messages it answers. */
export type ReplySender = { customerId: string; replyTo: AttributedMessage | null };

/**
 * The customer an inbound text from `address` belongs to in the workspace: the one our latest text to
 * that number went to (households share numbers), else the most recently updated customer with that
 * phone; null when none.
 */
export async function findReplySender(
  db: Executor,
  workspaceId: string,
  address: string,
): Promise<ReplySender | null> {
  const phone = address.trim();
  const [last] = await db
    .select({ message: messages, version: journeyRuns.version })
    .from(messages)
    .leftJoin(journeyRuns, withRun)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.channel, 'sms'),
        eq(messages.toAddress, phone),
        eq(messages.test, false),
        ne(messages.status, 'skipped'),
      ),
    )
    .orderBy(desc(sql`coalesce(${messages.sentAt}, ${messages.createdAt})`), desc(messages.createdAt))
    .limit(1);
  if (last?.message.customerId)
    return { customerId: last.message.customerId, replyTo: attributed(last.message, last.version) };
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.phone, phone)))
    .orderBy(desc(customers.updatedAt))
    .limit(1);
  return customer ? { customerId: customer.id, replyTo: null } : null;
}

/** An inbound text as stored. */
export type InboundMessage = typeof inboundMessages.$inferSelect;

/** Stores an inbound text (matched or not). */
export async function recordInboundMessage(
  db: Executor,
  row: typeof inboundMessages.$inferInsert,
): Promise<InboundMessage> {
  const [created] = await db.insert(inboundMessages).values(row).returning();
  return created!;
}

/** When the customer last texted the workspace (a text matched to them), or null. */
export async function lastInboundTextAt(
  db: Executor,
  workspaceId: string,
  customerId: string,
): Promise<Date | null> {
  const [row] = await db
    .select({ at: inboundMessages.receivedAt })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.workspaceId, workspaceId), eq(inboundMessages.customerId, customerId)))
    .orderBy(desc(inboundMessages.receivedAt))
    .limit(1);
  return row?.at ?? null;
}

/** A workspace's inbound texts, newest first, with whose they are; `unmatched` keeps those with no customer. */
export async function listInboundMessages(
  db: Executor,
  workspaceId: string,
  f: { unmatched?: boolean; customerId?: string; limit?: number; offset?: number } = {},
): Promise<(InboundMessage & { customerLabel: string | null })[]> {
  const rows = await db
    .select({
      inbound: inboundMessages,
      first: customers.firstName,
      last: customers.lastName,
      email: customers.email,
      externalId: customers.externalId,
    })
    .from(inboundMessages)
    .leftJoin(
      customers,
      and(
        eq(customers.workspaceId, inboundMessages.workspaceId),
        eq(customers.id, inboundMessages.customerId),
      ),
    )
    .where(
      and(
        eq(inboundMessages.workspaceId, workspaceId),
        f.unmatched ? isNull(inboundMessages.customerId) : undefined,
        f.customerId ? eq(inboundMessages.customerId, f.customerId) : undefined,
      ),
    )
    .orderBy(desc(inboundMessages.receivedAt), desc(inboundMessages.id))
    .limit(Math.min(f.limit ?? 50, 500))
    .offset(f.offset ?? 0);
  return rows.map((r) => ({
    ...r.inbound,
    customerLabel: r.inbound.customerId
      ? [r.first, r.last].filter(Boolean).join(' ') || r.email || r.externalId || r.inbound.fromAddress
      : null,
  }));
}

/** A request of a tracked link as stored. */
export type MessageClick = typeof messageClicks.$inferSelect;

/** Stores a request of a tracked link (human or flagged). */
export async function recordMessageClick(
  db: Executor,
  row: typeof messageClicks.$inferInsert,
): Promise<MessageClick> {
  const [created] = await db.insert(messageClicks).values(row).returning();
  return created!;
}

/** The requests of a message's tracked links, oldest first. */
export async function listMessageClicks(
  db: Executor,
  workspaceId: string,
  messageId: string,
): Promise<MessageClick[]> {
  return db
    .select()
    .from(messageClicks)
    .where(and(eq(messageClicks.workspaceId, workspaceId), eq(messageClicks.messageId, messageId)))
    .orderBy(messageClicks.clickedAt, messageClicks.id);
}
