import { and, desc, eq, isNotNull, ne, notInArray, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import {
  type Channel,
  type ConsentState,
  channelSettings,
  customers,
  type JsonObject,
  messages,
  type Provider,
  type SuppressionReason,
  suppressions,
} from '../../schema';
import { type Message, messageClockText } from './messages';

/** A per-workspace provider configuration row. */
export type ChannelSettingsRow = typeof channelSettings.$inferSelect;

const normaliseAddress = (channel: Channel, address: string) =>
  channel === 'email' ? address.trim().toLowerCase() : address.trim();

/** Why the address is suppressed on the channel, or null (transactional sends need the reason). */
export async function getSuppressionReason(
  db: Executor,
  workspaceId: string,
  channel: Channel,
  address: string,
): Promise<SuppressionReason | null> {
  const [row] = await suppressionReason(db, {
    workspaceId,
    channel,
    address: normaliseAddress(channel, address),
  });
  return row?.reason ?? null;
}

// Read by every send: a prepared statement.
const suppressionReason = preparedQuery('suppression_reason', (db) =>
  db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, sql.placeholder('workspaceId')),
        eq(suppressions.channel, sql.placeholder('channel')),
        eq(suppressions.address, sql.placeholder('address')),
      ),
    ),
);

/**
 * Sets one channel's consent on every customer of the workspace with this address (an
 * unsubscribe link or a STOP names an address, not a customer). Returns how many were updated.
 */
export async function setConsentByAddress(
  db: Executor,
  workspaceId: string,
  channel: Channel,
  address: string,
  state: ConsentState,
): Promise<number> {
  const match =
    channel === 'email'
      ? sql`lower(${customers.email}) = ${normaliseAddress(channel, address)}`
      : eq(customers.phone, normaliseAddress(channel, address));
  const rows = await db
    .update(customers)
    .set({ consent: sql`${customers.consent} || jsonb_build_object(${channel}::text, ${state}::text)` })
    .where(and(eq(customers.workspaceId, workspaceId), match))
    .returning({ id: customers.id });
  return rows.length;
}

/**
 * Workspaces that have messaged this address. Deliberately not workspace-scoped: an inbound SMS
 * (STOP) names only the sender's number, and every workspace that texted it must honour it.
 */
export async function workspacesMessagingAddress(
  db: Executor,
  channel: Channel,
  address: string,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workspaceId: messages.workspaceId })
    .from(messages)
    .where(and(eq(messages.channel, channel), eq(messages.toAddress, normaliseAddress(channel, address))));
  return rows.map((r) => r.workspaceId);
}

/**
 * When the customer was last messaged (or is being messaged) for marketing on the channel,
 * counting reserved rows so two journeys racing past the cap check do not both send.
 */
export async function lastMarketingAttemptAt(
  db: Executor,
  workspaceId: string,
  customerId: string,
  channel: Channel,
  excludeIdempotencyKey: string,
): Promise<Date | null> {
  const [row] = await db
    .select({
      at: sql<Date>`coalesce(${messages.sentAt}, ${messages.createdAt})`.mapWith(messages.createdAt),
    })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.customerId, customerId),
        eq(messages.channel, channel),
        eq(messages.transactional, false),
        notInArray(messages.status, ['skipped', 'failed', 'undelivered', 'bounced']),
        ne(messages.idempotencyKey, excludeIdempotencyKey),
      ),
    )
    .orderBy(desc(sql`coalesce(${messages.sentAt}, ${messages.createdAt})`))
    .limit(1);
  return row?.at ?? null;
}

/**
 * Serialises marketing sends to one customer on one channel until the transaction ends, so the
 * frequency-cap check and the reservation are atomic.
 */
export async function lockCustomerChannel(
  db: Executor,
  workspaceId: string,
  customerId: string,
  channel: Channel,
): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`${workspaceId}:${customerId}:${channel}`}))`);
}

/**
 * Records a failed attempt on a reserved message without changing its status (retry diagnostics),
 * stamped `at` by the database's clock like every other time of a message.
 */
export async function noteMessageAttempt(
  db: Executor,
  workspaceId: string,
  messageId: string,
  error: JsonObject,
): Promise<void> {
  await db
    .update(messages)
    .set({ error: sql`${JSON.stringify(error)}::jsonb || jsonb_build_object('at', ${messageClockText()})` })
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
}

/** The message reserved under this idempotency key in the workspace, or null. */
export async function getMessageByIdempotencyKey(
  db: Executor,
  workspaceId: string,
  idempotencyKey: string,
): Promise<Message | null> {
  const [row] = await messageByIdempotencyKey(db, { workspaceId, idempotencyKey });
  return row ?? null;
}

// Read by every send: a prepared statement.
const messageByIdempotencyKey = preparedQuery('message_by_idempotency_key', (db) =>
  db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, sql.placeholder('workspaceId')),
        eq(messages.idempotencyKey, sql.placeholder('idempotencyKey')),
      ),
    ),
);

/** The workspace's stored configuration of every provider, in one query. */
export async function listChannelSettings(db: Executor, workspaceId: string): Promise<ChannelSettingsRow[]> {
  return channelSettingsOf(db, { workspaceId });
}

// Read by every send: a prepared statement.
const channelSettingsOf = preparedQuery('channel_settings_of', (db) =>
  db
    .select()
    .from(channelSettings)
    .where(eq(channelSettings.workspaceId, sql.placeholder('workspaceId'))),
);

/** Creates or replaces the workspace's configuration for a provider (secret already encrypted). */
export async function upsertChannelSettings(
  db: Executor,
  workspaceId: string,
  input: { provider: Provider; config: JsonObject; secretCiphertext: string | null },
): Promise<ChannelSettingsRow> {
  const [row] = await db
    .insert(channelSettings)
    .values({ ...input, workspaceId })
    .onConflictDoUpdate({
      target: [channelSettings.workspaceId, channelSettings.provider],
      set: { config: input.config, secretCiphertext: input.secretCiphertext, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/** Every stored provider secret of every workspace (for re-encryption under a new key). */
export async function listEncryptedChannelSettings(
  db: Executor,
): Promise<{ id: string; workspaceId: string; secretCiphertext: string }[]> {
  const rows = await db
    .select({
      id: channelSettings.id,
      workspaceId: channelSettings.workspaceId,
      secretCiphertext: channelSettings.secretCiphertext,
    })
    .from(channelSettings)
    .where(isNotNull(channelSettings.secretCiphertext));
  return rows.filter((r): r is typeof r & { secretCiphertext: string } => r.secretCiphertext !== null);
}

/** Swaps one row's ciphertext, unless it changed since it was read (a save in between wins). */
export async function replaceChannelSecret(
  db: Executor,
  workspaceId: string,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const rows = await db
    .update(channelSettings)
    .set({ secretCiphertext: to, updatedAt: new Date() })
    .where(
      and(
        eq(channelSettings.workspaceId, workspaceId),
        eq(channelSettings.id, id),
        eq(channelSettings.secretCiphertext, from),
      ),
    )
    .returning({ id: channelSettings.id });
  return rows.length > 0;
}
