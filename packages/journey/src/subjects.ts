import { z } from 'zod';
import { CONSENT_STATES } from './field-catalog';
import { Json } from './json';

// What rules and templates see of a run's world, as plain JSON (dates as ISO strings): the customer,
// the order, the trigger event, the latest event, the brand, and room for what earlier steps produce.
// The paths of FIELD_CATALOG (./field-catalog.ts) read these objects; packages/db builds them from rows
// (one mapping), and trigger filters, branches, waits, sends, previews and test sends all use that
// mapping, so a field reads the same wherever a rule or a template names it.

const Iso = z.string().describe('ISO 8601 date-time');
const Text = z.string().nullable();
const FreeForm = z.record(z.string(), Json);

/** Channel consent state. */
export const ConsentValue = z.enum(CONSENT_STATES);
export type ConsentValue = z.infer<typeof ConsentValue>;

/** Order stats of a customer, derived from their orders (cancelled and refunded ones excluded). */
export const CustomerStats = z.object({
  ordersCount: z.number(),
  totalSpent: z.number(),
  aov: z.number(),
  firstOrderAt: Iso.nullable(),
  lastOrderAt: Iso.nullable(),
});
export type CustomerStats = z.infer<typeof CustomerStats>;

/**
 * The customer. `timeZone` repeats `timezone`: templates have always spelled it `timeZone`, rules
 * `timezone`; both are catalog fields and both read the same column.
 */
export const CustomerSubject = z.object({
  id: z.string(),
  externalId: Text,
  email: Text,
  phone: Text,
  firstName: Text,
  lastName: Text,
  timezone: Text,
  timeZone: Text,
  locale: Text,
  birthday: z.string().nullable().describe('YYYY-MM-DD'),
  tags: z.array(z.string()),
  attributes: FreeForm,
  consent: FreeForm.describe('channel → consent state (email, sms)'),
  createdAt: Iso,
  stats: CustomerStats,
});
export type CustomerSubject = z.infer<typeof CustomerSubject>;

/** An order; `number` is the shop's order number (its external id). */
export const OrderSubject = z.object({
  id: z.string(),
  externalId: z.string(),
  number: z.string(),
  total: z.number(),
  currency: z.string(),
  items: z.array(Json),
  status: z.string(),
  placedAt: Iso,
  fulfilledAt: Iso.nullable(),
  deliveredAt: Iso.nullable(),
  refundedAt: Iso.nullable(),
  discountCodes: z.array(z.string()),
  // Set by store connectors (Shopify); absent on orders only the events API ever described.
  statusUrl: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  trackingUrl: z.string().nullish(),
  trackingCompany: z.string().nullish(),
});
export type OrderSubject = z.infer<typeof OrderSubject>;

/** An event: the one that started a run (`trigger`) or the one being matched (`event`). */
export const EventSubject = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: Iso,
  orderId: z.string().nullable(),
  properties: FreeForm,
});
export type EventSubject = z.infer<typeof EventSubject>;

/** The shop's brand as templates see it; `url` is read by templates but not yet a setting (null). */
export const BrandSubject = z.object({
  name: z.string(),
  color: z.string(),
  logoUrl: z.string().nullable(),
  address: z.string(),
  url: z.string().nullable(),
});
export type BrandSubject = z.infer<typeof BrandSubject>;

/**
 * Everything a rule or a template can read. `event` is the trigger until a wait matches another event;
 * `steps` is reserved for values earlier steps will produce (empty for now, not in the catalog yet).
 */
export type Subjects = {
  customer: CustomerSubject;
  order: OrderSubject | null;
  trigger: EventSubject | null;
  event?: EventSubject | null;
  brand?: BrandSubject;
  steps?: Record<string, Json>;
};
