import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import {
  type Executor,
  givenColumns,
  jsonParam,
  placeholderAs,
  preparedQuery,
  unlessGiven,
} from '../../client';
import {
  type Channel,
  type JsonObject,
  type MessageStatus,
  messages,
  type Provider,
  providerWebhooks,
  type SuppressionReason,
  suppressions,
} from '../../schema';

/** A message row. */
export type Message = typeof messages.$inferSelect;

/**
 * Everything known before the provider call; rendered content is stored for the timeline. A test send
 * (`test`) has no customer (null); every other message has one (the table's check refuses otherwise).
 */
export type ReserveInput = {
  /** The row's id when the content already names it (tracked links are signed with it). */
  id?: string;
  idempotencyKey: string;
  customerId: string | null;
  channel: Channel;
  provider: Provider;
  toAddress: string;
  runId?: string | null;
  stepId?: string | null;
  journeyId?: string | null;
  fromAddress?: string | null;
  subject?: string | null;
  preheader?: string | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
  transactional?: boolean;
  test?: boolean;
  /** Which consent rule applied (see the column). */
  consentNote?: string | null;
  /** The original links of a tracked body, in token order (see the column). */
  links?: string[] | null;
};

/*
 * One clock for a message: its creation, every status report and its send time are stamped by the
 * database (now(), the time the writing transaction started), never by the writer. Senders in workers,
 * webhooks in the API and test sends run on different machines and clocks (a worker's is workflow
 * time); stamped by the database, a history reads in order and sentAt is never before createdAt.
 */

/** An instant as the ISO text JavaScript writes (UTC, milliseconds), for history entries. */
const isoText = (at: SQL) => sql`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The database's now() as ISO text: the time of a message fact kept in JSON (a failed attempt's error). */
export const messageClockText = (): SQL => isoText(sql`now()`);

/**
 * When a report on an existing message happened: the database's now(), but never before the message
 * was created or its latest report (a transaction that waited for the row lock started earlier).
 */
const reportedAt = sql`greatest(now(), ${messages.createdAt}, (${messages.statusHistory} -> -1 ->> 'at')::timestamptz)`;

/**
 * Reserves the message for an idempotency key (run id + step id). If the key is already taken the
 * existing row comes back with reserved: false, so a retried send activity never sends twice.
 */
export async function reserveMessage(
  db: Executor,
  workspaceId: string,
  input: ReserveInput,
): Promise<{ message: Message; reserved: boolean }> {
  const [created] = await reserveRow(db, {
    id: input.id ?? randomUUID(),
    workspaceId,
    idempotencyKey: input.idempotencyKey,
    customerId: input.customerId,
    channel: input.channel,
    provider: input.provider,
    toAddress: input.toAddress,
    runId: input.runId ?? null,
    stepId: input.stepId ?? null,
    journeyId: input.journeyId ?? null,
    fromAddress: input.fromAddress ?? null,
    subject: input.subject ?? null,
    preheader: input.preheader ?? null,
    bodyHtml: input.bodyHtml ?? null,
    bodyText: input.bodyText ?? null,
    transactional: input.transactional ?? false,
    test: input.test ?? false,
    consentNote: input.consentNote ?? null,
    links: jsonParam(input.links),
  });
  if (created) return { message: created, reserved: true };
  // ON CONFLICT waited for the competing insert to commit, so the row is visible now.
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.idempotencyKey, input.idempotencyKey)));
  if (!existing) throw new Error(`idempotency key ${input.idempotencyKey} belongs to another workspace`);
  return { message: existing, reserved: false };
}

// Every send: a prepared statement. created_at defaults to now(), the same instant as the first entry.
const reserveRow = preparedQuery('reserve_message', (db) =>
  db
    .insert(messages)
    .values({
      id: sql.placeholder('id'),
      workspaceId: sql.placeholder('workspaceId'),
      idempotencyKey: sql.placeholder('idempotencyKey'),
      customerId: sql.placeholder('customerId'),
      channel: sql.placeholder('channel'),
      provider: sql.placeholder('provider'),
      toAddress: sql.placeholder('toAddress'),
      runId: sql.placeholder('runId'),
      stepId: sql.placeholder('stepId'),
      journeyId: sql.placeholder('journeyId'),
      fromAddress: sql.placeholder('fromAddress'),
      subject: sql.placeholder('subject'),
      preheader: sql.placeholder('preheader'),
      bodyHtml: sql.placeholder('bodyHtml'),
      bodyText: sql.placeholder('bodyText'),
      status: 'reserved',
      statusHistory: sql`jsonb_build_array(jsonb_build_object('status', 'reserved', 'at', ${isoText(sql`now()`)}))`,
      transactional: sql.placeholder('transactional'),
      test: sql.placeholder('test'),
      consentNote: sql.placeholder('consentNote'),
      links: placeholderAs('links', 'jsonb'),
    })
    .onConflictDoNothing({ target: messages.idempotencyKey })
    .returning(),
);

// Webhooks arrive out of order (an open before the delivery receipt); the status column keeps the
// furthest state reached while the history records every report.
const STATUS_RANK: Record<MessageStatus, number> = {
  reserved: 0,
  queued: 1,
  sent: 2,
  skipped: 3,
  failed: 3,
  undelivered: 3,
  bounced: 3,
  delivered: 3,
  opened: 4,
  clicked: 5,
  complained: 6,
};

/** Extra data recorded with a status change (its time is the database's, see above). */
export type StatusUpdate = {
  detail?: string | null;
  providerMessageId?: string;
  provider?: Provider;
  error?: JsonObject | null;
  skipReason?: string | null;
};

/** The rank of the row's current status, as SQL (the ranks are code constants). */
const currentRank = sql.raw(
  `case "messages"."status" ${Object.entries(STATUS_RANK)
    .map(([s, r]) => `when '${s}' then ${r}`)
    .join(' ')} end`,
);

/** Fields a status report may set, with their columns; a field it leaves out keeps its value. */
const STATUS_FIELDS = [
  ['providerMessageId', 'provider_message_id'],
  ['provider', 'provider'],
  ['error', 'error'],
  ['skipReason', 'skip_reason'],
] as const satisfies readonly (readonly [keyof StatusUpdate, string])[];

// Every send reports at least once: a prepared statement.
const statusRow = preparedQuery('message_status', (db) =>
  db
    .update(messages)
    .set({
      status: sql`case when ${currentRank} <= ${placeholderAs('rank', 'int')} then ${placeholderAs('status', 'text')} else ${messages.status} end`,
      statusHistory: sql`${messages.statusHistory} || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
        'status', ${placeholderAs('status', 'text')}, 'at', ${isoText(reportedAt)}, 'detail', ${placeholderAs('detail', 'text')})))`,
      providerMessageId: unlessGiven(
        'messages',
        'provider_message_id',
        placeholderAs('providerMessageId', 'text'),
      ),
      provider: unlessGiven('messages', 'provider', placeholderAs('provider', 'text')),
      error: unlessGiven('messages', 'error', placeholderAs('error', 'jsonb')),
      skipReason: unlessGiven('messages', 'skip_reason', placeholderAs('skipReason', 'text')),
      sentAt: sql`case when ${placeholderAs('status', 'text')} = 'sent' then coalesce(${messages.sentAt}, ${reportedAt}) else ${messages.sentAt} end`,
    })
    .where(
      and(
        eq(messages.workspaceId, sql.placeholder('workspaceId')),
        eq(messages.id, sql.placeholder('messageId')),
      ),
    )
    .returning(),
);

/**
 * Appends a status report to the history and advances the status if it is further along. One
 * statement: the row lock the update takes orders concurrent reports, and each is compared with the
 * status the one before it left.
 */
export async function appendMessageStatus(
  db: Executor,
  workspaceId: string,
  messageId: string,
  status: MessageStatus,
  update: StatusUpdate = {},
): Promise<Message | null> {
  const [row] = await statusRow(db, {
    workspaceId,
    messageId,
    status,
    rank: STATUS_RANK[status],
    detail: update.detail || null,
    providerMessageId: update.providerMessageId ?? null,
    provider: update.provider ?? null,
    error: jsonParam(update.error),
    skipReason: update.skipReason ?? null,
    given: givenColumns(STATUS_FIELDS, update),
  });
  return row ?? null;
}

/** Records the provider's acceptance of a reserved message. */
export function markMessageSent(
  db: Executor,
  workspaceId: string,
  messageId: string,
  sent: { providerMessageId: string; provider?: Provider },
): Promise<Message | null> {
  return appendMessageStatus(db, workspaceId, messageId, 'sent', sent);
}

/** The message with this id in the workspace, or null. */
export async function getMessage(
  db: Executor,
  workspaceId: string,
  messageId: string,
): Promise<Message | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
  return row ?? null;
}

/**
 * Resolves a provider webhook to its message. Deliberately not workspace-scoped: a webhook names
 * only the provider's id; the returned row's workspaceId scopes everything done next.
 */
export async function findMessageByProviderId(
  db: Executor,
  provider: Provider,
  providerMessageId: string,
): Promise<Message | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.provider, provider), eq(messages.providerMessageId, providerMessageId)));
  return row ?? null;
}

/** When the customer was last sent a non-transactional message on the channel (frequency caps). */
export async function lastMarketingSentAt(
  db: Executor,
  workspaceId: string,
  customerId: string,
  channel: Channel,
): Promise<Date | null> {
  const [row] = await db
    .select({ sentAt: messages.sentAt })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.customerId, customerId),
        eq(messages.channel, channel),
        eq(messages.transactional, false),
        isNotNull(messages.sentAt),
      ),
    )
    .orderBy(desc(messages.sentAt))
    .limit(1);
  return row?.sentAt ?? null;
}

/** Records that a webhook delivery was seen; inserted: false means it was already handled. */
export async function recordProviderWebhook(
  db: Executor,
  input: { provider: Provider; externalId: string; payload: JsonObject; workspaceId?: string | null },
): Promise<{ inserted: boolean }> {
  const rows = await db
    .insert(providerWebhooks)
    .values(input)
    .onConflictDoNothing({ target: [providerWebhooks.provider, providerWebhooks.externalId] })
    .returning({ id: providerWebhooks.id });
  return { inserted: rows.length > 0 };
}

const normaliseAddress = (channel: Channel, address: string) =>
  channel === 'email' ? address.trim().toLowerCase() : address.trim();

/** Suppresses an address on a channel; the first reason recorded is kept. */
export async function addSuppression(
  db: Executor,
  workspaceId: string,
  input: { channel: Channel; address: string; reason: SuppressionReason; source?: string | null },
): Promise<void> {
  await db
    .insert(suppressions)
    .values({ ...input, workspaceId, address: normaliseAddress(input.channel, input.address) })
    .onConflictDoNothing();
}

/** Whether the address is suppressed on the channel. */
export async function isSuppressed(
  db: Executor,
  workspaceId: string,
  channel: Channel,
  address: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, workspaceId),
        eq(suppressions.channel, channel),
        eq(suppressions.address, normaliseAddress(channel, address)),
      ),
    );
  return !!row;
}

/** Lifts a suppression (resubscribe, START); returns whether one existed. */
export async function removeSuppression(
  db: Executor,
  workspaceId: string,
  channel: Channel,
  address: string,
): Promise<boolean> {
  const rows = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, workspaceId),
        eq(suppressions.channel, channel),
        eq(suppressions.address, normaliseAddress(channel, address)),
      ),
    )
    .returning({ id: suppressions.id });
  return rows.length > 0;
}
