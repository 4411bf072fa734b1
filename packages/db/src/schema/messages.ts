import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaceRef, workspaces } from './access';
import { oneOf, sameWorkspace, timestamps, tstz } from './common';
import { customers } from './customers';
import { journeys } from './journeys';
import { journeyRuns } from './runs';
import type { JsonObject } from './types';

/** Delivery channels. */
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a message was handed off; 'outbox' is the local sink used without provider keys. */
export const PROVIDERS = ['outbox', 'resend', 'twilio'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Message lifecycle, from reservation through provider webhooks. */
export const MESSAGE_STATUSES = [
  'reserved',
  'queued',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'failed',
  'undelivered',
  'skipped',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Why an address must not be messaged. */
export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'stop'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** One entry of a message's status history. */
export type StatusEntry = { status: MessageStatus; at: string; detail?: string | null };

/**
 * An email or SMS, reserved before the provider call so retries reuse the same row and key. A test send
 * (`test`) went to a tester, not to a customer: it has no customer, so it never shows in a customer's
 * history, caps or analytics.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    runId: uuid(),
    stepId: text(),
    customerId: uuid(),
    journeyId: uuid(),
    channel: text({ enum: CHANNELS }).notNull(),
    provider: text({ enum: PROVIDERS }).notNull(),
    providerMessageId: text(),
    idempotencyKey: text().notNull().unique('messages_idempotency_key_key'),
    toAddress: text().notNull(),
    fromAddress: text(),
    subject: text(),
    preheader: text(),
    bodyHtml: text(),
    bodyText: text(),
    status: text({ enum: MESSAGE_STATUSES }).notNull().default('reserved'),
    skipReason: text(),
    error: jsonb().$type<JsonObject>(),
    statusHistory: jsonb().$type<StatusEntry[]>().notNull().default([]),
    transactional: boolean().notNull().default(false),
    test: boolean().notNull().default(false),
    /** Which consent rule let it go out, in words ("sent although unsubscribed from marketing email: …"). */
    consentNote: text(),
    /** The links of a tracked body, in order: a redirect token (`/r/…`) names one by its index. */
    links: jsonb().$type<string[]>(),
    createdAt: tstz().notNull().defaultNow(),
    sentAt: tstz(),
  },
  (t) => [
    // Every message but a test is some customer's.
    check('messages_customer_check', sql`test or customer_id is not null`),
    sameWorkspace(
      'messages_customer_fk',
      [t.workspaceId, t.customerId],
      [customers.workspaceId, customers.id],
    ),
    sameWorkspace('messages_run_fk', [t.workspaceId, t.runId], [journeyRuns.workspaceId, journeyRuns.id]),
    sameWorkspace('messages_journey_fk', [t.workspaceId, t.journeyId], [journeys.workspaceId, journeys.id]),
    index('messages_workspace_customer_idx').on(t.workspaceId, t.customerId, t.createdAt),
    index('messages_workspace_run_idx').on(t.workspaceId, t.runId),
    // Frequency caps look up the customer's latest message per channel.
    index('messages_workspace_customer_channel_idx').on(t.workspaceId, t.customerId, t.channel, t.sentAt),
    index('messages_workspace_journey_idx').on(t.workspaceId, t.journeyId, t.status),
    // The message log pages newest first, filtered or not: an index walk stops after one page.
    index('messages_workspace_created_idx').on(t.workspaceId, t.createdAt),
    // "Unsubscribed after this message" looks at the address's other messages and its suppression.
    index('messages_workspace_address_idx').on(t.workspaceId, t.channel, t.toAddress, t.sentAt),
    // Webhooks find the message by the provider's id.
    uniqueIndex('messages_provider_message_key')
      .on(t.provider, t.providerMessageId)
      .where(sql`provider_message_id is not null`),
    oneOf('messages', 'channel', CHANNELS),
    oneOf('messages', 'provider', PROVIDERS),
    oneOf('messages', 'status', MESSAGE_STATUSES),
  ],
);

/** Addresses that must not receive marketing on a channel (unsubscribe, bounce, STOP). */
export const suppressions = pgTable(
  'suppressions',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    channel: text({ enum: CHANNELS }).notNull(),
    address: text().notNull(),
    reason: text({ enum: SUPPRESSION_REASONS }).notNull(),
    source: text(),
    createdAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('suppressions_workspace_channel_address_key').on(t.workspaceId, t.channel, t.address),
    oneOf('suppressions', 'channel', CHANNELS),
    oneOf('suppressions', 'reason', SUPPRESSION_REASONS),
  ],
);

/**
 * Provider webhook deliveries seen so far, keyed by the provider's delivery id, so a redelivered
 * webhook is applied once. workspace_id is filled in once the message is resolved.
 */
export const providerWebhooks = pgTable(
  'provider_webhooks',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid(),
    provider: text({ enum: PROVIDERS }).notNull(),
    externalId: text().notNull(),
    receivedAt: tstz().notNull().defaultNow(),
    payload: jsonb().$type<JsonObject>().notNull(),
  },
  (t) => [
    uniqueIndex('provider_webhooks_provider_external_key').on(t.provider, t.externalId),
    index('provider_webhooks_workspace_idx').on(t.workspaceId, t.receivedAt),
  ],
);

/** Per-workspace provider configuration; secrets are stored encrypted, never in config. */
export const channelSettings = pgTable(
  'channel_settings',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    provider: text({ enum: PROVIDERS }).notNull(),
    config: jsonb().$type<JsonObject>().notNull().default({}),
    secretCiphertext: text(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('channel_settings_workspace_provider_key').on(t.workspaceId, t.provider),
    oneOf('channel_settings', 'provider', PROVIDERS),
  ],
);

/** What an installation email is about. */
export const SYSTEM_EMAIL_KINDS = ['password_reset', 'invitation'] as const;
export type SystemEmailKind = (typeof SYSTEM_EMAIL_KINDS)[number];

/**
 * Emails Hourglass itself sends to people who use it (password resets, invitations), not to a brand's
 * customers, so they stay out of the message ledger, its caps and its analytics. Sent through the
 * email channel of `workspace_id` (null: the installation's). The body carries a sign-in credential:
 * it is kept only when the outbox was the destination (no provider: this table is where the link is
 * read), never when a real provider delivered it.
 */
export const systemEmails = pgTable(
  'system_emails',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid().references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text({ enum: SYSTEM_EMAIL_KINDS }).notNull(),
    toAddress: text().notNull(),
    fromAddress: text().notNull(),
    subject: text().notNull(),
    bodyText: text(),
    bodyHtml: text(),
    provider: text({ enum: PROVIDERS }).notNull(),
    providerMessageId: text(),
    status: text({ enum: ['sent', 'failed'] }).notNull(),
    error: jsonb().$type<JsonObject>(),
    createdAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    index('system_emails_to_idx').on(t.toAddress, t.createdAt),
    index('system_emails_workspace_idx').on(t.workspaceId, t.createdAt),
    oneOf('system_emails', 'kind', SYSTEM_EMAIL_KINDS),
    oneOf('system_emails', 'provider', PROVIDERS),
    oneOf('system_emails', 'status', ['sent', 'failed']),
  ],
);
