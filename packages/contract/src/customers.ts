import { z } from 'zod';
import { Paging, Timestamp, Uuid } from './common';

/** A customer profile with consent and derived stats. */
export const Customer = z.object({
  id: Uuid,
  externalId: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  birthday: z.string().nullable(),
  consent: z.object({ email: z.string(), sms: z.string() }),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  ordersCount: z.number(),
  totalSpent: z.number(),
  aov: z.number(),
  firstOrderAt: Timestamp.nullable(),
  lastOrderAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

/** An order. */
export const Order = z.object({
  id: Uuid,
  customerId: Uuid,
  externalId: z.string(),
  total: z.number(),
  currency: z.string(),
  items: z.array(z.record(z.string(), z.unknown())),
  status: z.string(),
  placedAt: Timestamp,
  fulfilledAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  refundedAt: Timestamp.nullable(),
});
export type Order = z.infer<typeof Order>;

/** A stored event. */
export const StoredEvent = z.object({
  id: z.string(),
  type: z.string(),
  customerId: Uuid.nullable(),
  orderId: Uuid.nullable(),
  properties: z.record(z.string(), z.unknown()),
  occurredAt: Timestamp,
  receivedAt: Timestamp,
  routingState: z.string(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/** `GET /v1/customers?q=`. */
export const CustomerSearchQuery = Paging.extend({ q: z.string().max(320).optional() });

/**
 * The shop's own id of a customer, as events carry it (`customer.externalId`): 1 to 200 characters, and
 * never with surrounding spaces, which ingest trims away (such an id can match nobody).
 */
export const ExternalId = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => s.trim() === s, 'no leading or trailing spaces: events store external ids trimmed')
  .describe("The shop's own customer id, as sent in events (customer.externalId); URL-encode it");

/** `GET /v1/customers/lookup?externalId=`: one customer by an exact key. */
export const CustomerLookupQuery = z.object({ externalId: ExternalId });

/** One condition a trigger filter compared: the field, the operator, what it needs and what it found. */
export const ComparedCondition = z.object({
  field: z.string(),
  op: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
  passed: z.boolean(),
});
export type ComparedCondition = z.infer<typeof ComparedCondition>;

/**
 * "Why (not)?": for a journey whose trigger event the customer had, whether they entered and why not
 * (`outcome`: entered, not_live, filter, no_order, entry_rule, entry_segment, entry_period,
 * already_entered, already_running), or an event a waiting run ignored (`ignored`).
 */
export const JourneyDecision = z.object({
  id: z.number().int(),
  journeyId: Uuid,
  journeyName: z.string(),
  /** The run it started, or the run that ignored the event. */
  runId: Uuid.nullable(),
  eventId: z.string(),
  eventType: z.string(),
  eventAt: Timestamp,
  outcome: z.string(),
  entered: z.boolean(),
  /** The journey's state when the event was routed, for `not_live` (draft, paused, archived). */
  journeyStatus: z.string().nullable(),
  /** A failed trigger filter's compared conditions. */
  conditions: z.array(ComparedCondition),
  /** In words, times in the customer's zone: "Did not enter "Review request": the journey was a draft when …". */
  text: z.string(),
  decidedAt: Timestamp,
});
export type JourneyDecision = z.infer<typeof JourneyDecision>;

/**
 * Where the next page of a customer's orders, events or runs starts: the `nextCursor` of the page before,
 * passed back as it came (opaque; a cursor of another list, or altered, is a 400 `invalid_cursor`).
 */
export const PageCursor = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, 'a nextCursor as received')
  .describe('The nextCursor of the previous page, as received');

/** `?before=&limit=`: one page of a customer's orders, events or runs, newest first. */
export const CustomerPageQuery = z.object({
  before: PageCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CustomerPageQuery = z.infer<typeof CustomerPageQuery>;

/** Null on the last page. */
const NextCursor = z.string().nullable();

/** `GET /v1/customers/:id/orders`: a page of orders, newest placed first. */
export const CustomerOrdersPage = z.object({ orders: z.array(Order), nextCursor: NextCursor });
export type CustomerOrdersPage = z.infer<typeof CustomerOrdersPage>;

/** `GET /v1/customers/:id/events`: a page of events, newest first. */
export const CustomerEventsPage = z.object({ events: z.array(StoredEvent), nextCursor: NextCursor });
export type CustomerEventsPage = z.infer<typeof CustomerEventsPage>;

/** A customer with the first page of their orders and events (the older ones: `…NextCursor`). */
export const CustomerProfile = z.object({
  customer: Customer,
  orders: z.array(Order),
  /** Older orders: `GET /v1/customers/:id/orders?before=` this; null when `orders` are all there is. */
  ordersNextCursor: NextCursor,
  events: z.array(StoredEvent),
  /** Older events: `GET /v1/customers/:id/events?before=` this; null when `events` are all there is. */
  eventsNextCursor: NextCursor,
  /** The newest routing decisions about the customer (entered, or why not), newest first. */
  decisions: z.array(JourneyDecision),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** A journey run. */
export const Run = z.object({
  id: Uuid,
  workflowId: z.string(),
  journeyId: Uuid,
  version: z.number().int(),
  customerId: Uuid,
  orderId: Uuid.nullable(),
  triggerEventId: z.string().nullable(),
  status: z.string(),
  currentStep: z.string().nullable(),
  waitingFor: z.unknown().nullable(),
  endReason: z.string().nullable(),
  convertedAt: Timestamp.nullable(),
  revenue: z.number().nullable(),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  endedAt: Timestamp.nullable(),
});
export type Run = z.infer<typeof Run>;

/** `GET /v1/runs`. */
export const RunListQuery = Paging.extend({
  journeyId: Uuid.optional(),
  customerId: Uuid.optional(),
  status: z.enum(['running', 'waiting', 'completed', 'exited', 'failed', 'cancelled']).optional(),
});

/** One step a run went through. */
export const RunStep = z.object({
  stepId: z.string(),
  nodeId: z.string(),
  primitive: z.string(),
  seq: z.number().int(),
  enteredAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  outcome: z.string().nullable(),
  port: z.string().nullable(),
  reasons: z.array(z.record(z.string(), z.unknown())).nullable(),
  messageId: Uuid.nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  attempt: z.number().int(),
});

/** A message sent (or skipped) by a run. */
export const RunMessage = z.object({
  id: Uuid,
  stepId: z.string().nullable(),
  channel: z.string(),
  provider: z.string(),
  toAddress: z.string(),
  subject: z.string().nullable(),
  bodyText: z.string().nullable(),
  status: z.string(),
  skipReason: z.string().nullable(),
  statusHistory: z.array(z.record(z.string(), z.unknown())),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
});

/** A run with its steps and messages. */
export const RunTimeline = z.object({ run: Run, steps: z.array(RunStep), messages: z.array(RunMessage) });
export type RunTimeline = z.infer<typeof RunTimeline>;
