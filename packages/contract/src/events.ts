import { Json } from '@hourglass/journey';
import { z } from 'zod';
import { CalendarDate, Instant, JsonObject } from './common';

const text = (max: number) => z.string().trim().max(max);

// Constructing an Intl.DateTimeFormat costs far more than the rest of an event's validation, and
// an ingest stream repeats a handful of zones: remember answers (bounded, so junk cannot grow it).
const knownZones = new Map<string, boolean>();
const isTimeZone = (tz: string) => {
  let ok = knownZones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (knownZones.size >= 1000) knownZones.clear();
    knownZones.set(tz, ok);
  }
  return ok;
};

/** An IANA time zone the runtime knows ("Europe/Paris"). */
export const TimeZone = z.string().max(64).refine(isTimeZone, 'unknown time zone');

const ConsentState = z.enum(['subscribed', 'unsubscribed', 'unknown']);

/** Who the event is about; at least one of externalId, email, phone. */
export const EventCustomer = z
  .object({
    externalId: text(200).min(1).optional(),
    email: text(320).min(3).optional(),
    phone: text(32)
      .regex(/^\+?[0-9 ().-]{4,32}$/, 'phone number')
      .optional(),
    firstName: text(200).optional(),
    lastName: text(200).optional(),
    timezone: TimeZone.optional(),
    locale: text(35)
      .refine((l) => {
        try {
          return Intl.getCanonicalLocales(l).length === 1;
        } catch {
          return false;
        }
      }, 'BCP 47 locale such as en-US')
      .optional(),
    birthday: CalendarDate.optional(),
    attributes: JsonObject.optional(),
    tags: z.array(text(100)).max(100).optional(),
    consent: z.object({ email: ConsentState.optional(), sms: ConsentState.optional() }).optional(),
  })
  .refine((c) => !!(c.externalId || c.email || c.phone), {
    message: 'customer needs an externalId, email or phone',
    path: ['externalId'],
  });
export type EventCustomer = z.infer<typeof EventCustomer>;

/** An http(s) address, as a shop sends it. */
const WebUrl = z.url({ protocol: /^https?$/, normalize: false }).max(2000);

/** One order line. */
export const EventOrderItem = z
  .object({
    sku: text(200).optional(),
    productId: text(200).optional(),
    name: text(500).optional(),
    quantity: z.number().int().min(0).max(1_000_000).default(1),
    price: z.number().min(0).max(1e11).optional(),
    // Shown as links and images in emails (recommendations): web addresses only, never `javascript:`.
    url: WebUrl.optional(),
    imageUrl: WebUrl.optional(),
  })
  .catchall(Json);

/**
 * The order an event is about, upserted by external id: an event may name it by external id alone,
 * and the fields it leaves out keep their stored values (a new order starts at total 0, USD, no items).
 */
export const EventOrder = z.object({
  externalId: text(200).min(1),
  total: z.number().min(0).max(1e11).optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'ISO 4217 code')
    .transform((c) => c.toUpperCase())
    .optional(),
  items: z.array(EventOrderItem).max(1000).optional(),
  status: text(50).min(1).optional(),
  placedAt: Instant.optional(),
  fulfilledAt: Instant.optional(),
  deliveredAt: Instant.optional(),
  refundedAt: Instant.optional(),
  /** Codes the shopper used; a code a journey made for this customer is redeemed (a conversion of its run). */
  discountCodes: z
    .array(text(100).min(1))
    .max(20)
    .optional()
    .describe('Discount codes used on the order (at most 20, each at most 100 characters)'),
});
export type EventOrder = z.infer<typeof EventOrder>;

/** An event sent by the brand. `id` is the client's idempotency key; unknown types are custom events. */
export const EventInput = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  type: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : -'),
  occurredAt: Instant.optional(),
  customer: EventCustomer,
  order: EventOrder.optional(),
  properties: JsonObject.optional(),
});
export type EventInput = z.infer<typeof EventInput>;

/** `POST /v1/events/batch`. */
export const EventBatch = z.object({ events: z.array(EventInput).min(1).max(1000) });
export type EventBatch = z.infer<typeof EventBatch>;

/** Outcome of one event: accepted (routed shortly) or already seen. */
export const EventAccepted = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});
export type EventAccepted = z.infer<typeof EventAccepted>;

/** Outcome of a batch, in input order. */
export const EventBatchAccepted = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(EventAccepted),
});
export type EventBatchAccepted = z.infer<typeof EventBatchAccepted>;
