import type { Customer, Event, Order } from '@hourglass/db';
import type { RuleContext } from '@hourglass/journey';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The customer as rules see it (`customer.stats.aov`, `customer.attributes.x`, …), as plain JSON. */
export function customerContext(c: Customer) {
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
    createdAt: iso(c.createdAt),
    stats: {
      ordersCount: c.ordersCount,
      totalSpent: c.totalSpent,
      aov: c.aov,
      firstOrderAt: iso(c.firstOrderAt),
      lastOrderAt: iso(c.lastOrderAt),
    },
  };
}

/** An order as rules see it. */
export function orderContext(o: Order) {
  return {
    id: o.id,
    externalId: o.externalId,
    total: o.total,
    currency: o.currency,
    items: o.items,
    status: o.status,
    placedAt: iso(o.placedAt),
    fulfilledAt: iso(o.fulfilledAt),
    deliveredAt: iso(o.deliveredAt),
    refundedAt: iso(o.refundedAt),
  };
}

/** An event as rules and runs see it. */
export function eventContext(e: Event) {
  return {
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt.toISOString(),
    orderId: e.orderId,
    properties: e.properties,
  };
}

/** `{customer, order, trigger, event}` for evaluateRule. */
export function ruleContext(customer: Customer, order: Order | null, event: Event): RuleContext {
  const ev = eventContext(event);
  return {
    customer: customerContext(customer),
    order: order ? orderContext(order) : null,
    trigger: ev,
    event: ev,
  };
}
