import type { Customer, Executor, Order } from '@hourglass/db';
import { getCustomerAndOrder } from '@hourglass/db';
import type { Json } from '@hourglass/journey';
import type { CustomerSnapshot } from '@hourglass/nodes';

// One shape of customer and order data for rules, Liquid templates and actions, so a field that
// works in a branch (`customer.stats.aov`) works the same in a template.

/** Plain JSON copy (dates become ISO strings). */
const json = <T>(v: T): Json => JSON.parse(JSON.stringify(v)) as Json;

/** The customer as rules, templates and actions see it. */
export function customerContext(c: Customer): CustomerSnapshot & Record<string, Json | undefined> {
  return {
    id: c.id,
    externalId: c.externalId,
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    timeZone: c.timezone,
    locale: c.locale,
    birthday: c.birthday,
    consent: json(c.consent),
    tags: c.tags,
    attributes: json(c.attributes) as Record<string, Json>,
    stats: {
      ordersCount: c.ordersCount,
      totalSpent: c.totalSpent,
      aov: c.aov,
      firstOrderAt: c.firstOrderAt?.toISOString() ?? null,
      lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
    },
  };
}

/** The order as rules, templates and actions see it; `number` is the shop's order number. */
export function orderContext(o: Order): Record<string, Json> {
  return json({
    id: o.id,
    externalId: o.externalId,
    number: o.externalId,
    total: o.total,
    currency: o.currency,
    items: o.items,
    status: o.status,
    placedAt: o.placedAt,
    fulfilledAt: o.fulfilledAt,
    deliveredAt: o.deliveredAt,
    refundedAt: o.refundedAt,
  }) as Record<string, Json>;
}

/** Customer (must exist) and order (if any) of a run, loaded fresh. */
export async function loadSubjects(
  db: Executor,
  workspaceId: string,
  customerId: string,
  orderId: string | null,
): Promise<{ customer: Customer; order: Order | null }> {
  const found = await getCustomerAndOrder(db, workspaceId, customerId, orderId);
  if (!found) throw new Error(`customer ${customerId} not found`);
  return found;
}
