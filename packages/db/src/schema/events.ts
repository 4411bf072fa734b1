import { sql } from 'drizzle-orm';
import {
  bigserial,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { oneOf, sameWorkspace, tstz } from './common';
import { customers, orders } from './customers';
import type { JsonObject } from './types';

/** Routing lifecycle of an ingested event. */
export const ROUTING_STATES = ['pending', 'routed', 'failed'] as const;
export type RoutingState = (typeof ROUTING_STATES)[number];

/** Something that happened to a customer, as sent by the brand; the id is the client's, for idempotency. */
export const events = pgTable(
  'events',
  {
    workspaceId: workspaceRef(),
    id: text().notNull(),
    type: text().notNull(),
    customerId: uuid(),
    orderId: uuid(),
    properties: jsonb().$type<JsonObject>().notNull().default({}),
    occurredAt: tstz().notNull(),
    receivedAt: tstz().notNull().defaultNow(),
    routingState: text({ enum: ROUTING_STATES }).notNull().default('pending'),
    routedAt: tstz(),
    routingError: text(),
  },
  (t) => [
    primaryKey({ name: 'events_pkey', columns: [t.workspaceId, t.id] }),
    sameWorkspace('events_customer_fk', [t.workspaceId, t.customerId], [customers.workspaceId, customers.id]),
    sameWorkspace('events_order_fk', [t.workspaceId, t.orderId], [orders.workspaceId, orders.id]),
    index('events_workspace_customer_idx').on(t.workspaceId, t.customerId, t.occurredAt),
    // A type's events in a window; the customer id at the end lets segment previews ("performed X within
    // N days" over every customer) read the customers from the index alone, without a heap fetch per event.
    index('events_workspace_type_idx').on(t.workspaceId, t.type, t.occurredAt, t.customerId),
    // Analytics find a message's opens, clicks and replies by the message id they carry.
    index('events_workspace_message_idx')
      .on(t.workspaceId, sql`(properties->>'messageId')`)
      .where(sql`type in ('message.opened', 'message.clicked', 'sms.replied')`),
    // One customer's "performed X (within N days)" probe (segment membership, branch reasons): an
    // index-only read of the few entries it needs, even for a customer with thousands of events.
    index('events_workspace_customer_type_idx').on(t.workspaceId, t.customerId, t.type, t.occurredAt),
    oneOf('events', 'routing_state', ROUTING_STATES),
  ],
);

/**
 * Durable routing queue: a row is written in the same transaction as its event, so an event
 * acknowledged with 2xx is routed eventually even if Temporal was down at the time.
 */
export const eventOutbox = pgTable(
  'event_outbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef(),
    eventId: text().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: tstz().notNull().defaultNow(),
    lastError: text(),
    createdAt: tstz().notNull().defaultNow(),
    doneAt: tstz(),
  },
  (t) => [
    foreignKey({
      name: 'event_outbox_event_fk',
      columns: [t.workspaceId, t.eventId],
      foreignColumns: [events.workspaceId, events.id],
    }).onDelete('cascade'),
    uniqueIndex('event_outbox_workspace_event_key').on(t.workspaceId, t.eventId),
    // The dispatcher only ever scans pending rows by due time; keep that index small.
    index('event_outbox_pending_idx').on(t.nextAttemptAt).where(sql`done_at is null`),
  ],
);
