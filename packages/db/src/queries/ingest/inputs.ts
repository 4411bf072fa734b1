import type { Consent, JsonObject, OrderItem } from '../../schema';

// What writes into customers, orders and events carry (from the events API, connectors, actions).
// Kept apart from the queries so ingest and the aggregates' own queries depend on them, not on each other.

/** Identity and profile data carried by an event; absent fields leave stored values alone. */
export type CustomerInput = {
  externalId?: string | null;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  locale?: string | null;
  birthday?: string | null;
  consent?: Partial<Consent>;
  attributes?: JsonObject;
  tags?: string[];
};

/**
 * Order data carried by an event; a field left out keeps its stored value (a new order starts at
 * total 0, USD, no items, status placed).
 */
export type OrderInput = {
  externalId: string;
  customerId: string;
  total?: number;
  currency?: string;
  items?: OrderItem[];
  status?: string;
  placedAt?: Date;
  fulfilledAt?: Date | null;
  deliveredAt?: Date | null;
  refundedAt?: Date | null;
  /**
   * Discount codes used on the order (given: they replace the stored ones); those Hourglass made for
   * this customer are redeemed by ingest (see queries/discounts/redeem-sql.ts).
   */
  discountCodes?: string[];
};

/** Order statuses that do not count towards a customer's stats. */
export const NON_REVENUE_ORDER_STATUSES = ['cancelled', 'refunded'] as const;

/** An event as accepted by ingest; `id` is the client's idempotency key. */
export type EventInput = {
  id: string;
  type: string;
  customerId?: string | null;
  orderId?: string | null;
  properties?: JsonObject;
  occurredAt?: Date;
};
