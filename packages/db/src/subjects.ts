import type {
  BrandSubject,
  CustomerSubject,
  EventSubject,
  Json,
  OrderSubject,
  Subjects,
} from '@hourglass/journey';
import type { Customer } from './queries/customers/customers';
import type { Event } from './queries/customers/events';
import type { Order } from './queries/customers/orders';
import type { WorkspaceSettings } from './schema/types';

// The one mapping from rows to the subject model of @hourglass/journey (what rules and templates read).
// Trigger filters (routing), branches, waits and sends (the worker), previews and test sends (the API)
// all build their view here, so `customer.timezone` or `order.number` reads the same in each. Segment
// SQL reads the same columns (queries/segment-sql.ts); segment-agreement.test.ts proves both agree.

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The customer as rules and templates see it. */
export function customerSubject(c: Customer): CustomerSubject {
  return {
    id: c.id,
    externalId: c.externalId,
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    timezone: c.timezone,
    timeZone: c.timezone,
    locale: c.locale,
    birthday: c.birthday,
    tags: c.tags,
    attributes: c.attributes,
    consent: c.consent,
    createdAt: c.createdAt.toISOString(),
    stats: {
      ordersCount: c.ordersCount,
      totalSpent: c.totalSpent,
      aov: c.aov,
      firstOrderAt: iso(c.firstOrderAt),
      lastOrderAt: iso(c.lastOrderAt),
    },
  };
}

/** An order as rules and templates see it; `number` is the shop's order number (its external id). */
export function orderSubject(o: Order): OrderSubject {
  return {
    id: o.id,
    externalId: o.externalId,
    number: o.externalId,
    total: o.total,
    currency: o.currency,
    // Order lines are typed loosely (extra keys kept as unknown); jsonb holds JSON, so they are Json as read.
    items: o.items as Json[],
    status: o.status,
    placedAt: o.placedAt.toISOString(),
    fulfilledAt: iso(o.fulfilledAt),
    deliveredAt: iso(o.deliveredAt),
    refundedAt: iso(o.refundedAt),
    discountCodes: o.discountCodes,
    statusUrl: o.statusUrl,
    trackingNumber: o.trackingNumber,
    trackingUrl: o.trackingUrl,
    trackingCompany: o.trackingCompany,
  };
}

/** An event as rules, runs and templates see it. */
export function eventSubject(e: Event): EventSubject {
  return {
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt.toISOString(),
    orderId: e.orderId,
    properties: e.properties,
  };
}

/** The brand templates see: the workspace's brand settings, named after the workspace when unnamed. */
export function brandSubject(w: { name: string; settings: WorkspaceSettings }): BrandSubject {
  const brand = w.settings.brand;
  return { url: null, ...brand, name: brand.name || w.name };
}

/**
 * Everything a rule reads when `event` arrives for `customer` (and `order`): the event is both the
 * trigger and the event being matched.
 */
export function eventSubjects(customer: Customer, order: Order | null, event: Event): Subjects {
  const ev = eventSubject(event);
  return {
    customer: customerSubject(customer),
    order: order ? orderSubject(order) : null,
    trigger: ev,
    event: ev,
  };
}
