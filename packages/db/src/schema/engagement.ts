import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './access';
import { sameWorkspace, tstz } from './common';
import { customers } from './customers';
import { messages } from './messages';

/**
 * Texts customers sent us (replies, STOP, MMS), one row per workspace they were applied to. A reply
 * from a number no workspace texted is stored all the same (workspace and customer null, or the
 * workspace of the number it was sent to but no customer): it is shown as unmatched, never guessed.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    // Null when the reply reached the shared number and no workspace ever texted the sender.
    workspaceId: uuid().references(() => workspaces.id, { onDelete: 'cascade' }),
    providerMessageId: text().notNull(),
    fromAddress: text().notNull(),
    toAddress: text(),
    body: text().notNull().default(''),
    mediaCount: integer().notNull().default(0),
    mediaUrls: jsonb().$type<string[]>().notNull().default([]),
    /** Trimmed, upper-cased first word of the body (STOP, YES, 5 …), null for an empty body. */
    keyword: text(),
    customerId: uuid(),
    /** The last message we sent the customer at that number: what this replies to. */
    replyToMessageId: uuid(),
    /** The `sms.replied` event it became (null when unmatched). */
    eventId: text(),
    receivedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    sameWorkspace(
      'inbound_messages_customer_fk',
      [t.workspaceId, t.customerId],
      [customers.workspaceId, customers.id],
    ),
    index('inbound_messages_workspace_idx').on(t.workspaceId, t.receivedAt),
    index('inbound_messages_customer_idx').on(t.workspaceId, t.customerId, t.receivedAt),
  ],
);

/**
 * Every request of a tracked link (`/r/<token>`), human or not: bot and link-preview requests are kept
 * flagged (with why) and never become `message.clicked` events.
 */
export const messageClicks = pgTable(
  'message_clicks',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    linkIndex: integer().notNull(),
    url: text().notNull(),
    userAgent: text(),
    bot: boolean().notNull().default(false),
    /** Why it counts as a bot: 'head', 'user_agent', 'too_soon'. */
    botReason: text(),
    /** The `message.clicked` event (human clicks only). */
    eventId: text(),
    clickedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    index('message_clicks_message_idx').on(t.workspaceId, t.messageId, t.clickedAt),
    index('message_clicks_human_idx').on(t.workspaceId, t.messageId).where(sql`not bot`),
  ],
);
