import type { EventInput } from '@hourglass/contract';
import { type Executor, type IngestInput, ingestEvent } from '@hourglass/db';

/** Lifecycle timestamps and statuses implied by well-known order event types. */
const ORDER_EVENTS: Record<
  string,
  { status?: string; stamp?: 'fulfilledAt' | 'deliveredAt' | 'refundedAt' }
> = {
  'order.placed': {},
  'order.fulfilled': { status: 'fulfilled', stamp: 'fulfilledAt' },
  'order.shipped': { status: 'fulfilled', stamp: 'fulfilledAt' },
  'order.out_for_delivery': { status: 'out_for_delivery' },
  'order.delivered': { status: 'delivered', stamp: 'deliveredAt' },
  'order.refunded': { status: 'refunded', stamp: 'refundedAt' },
  'order.cancelled': { status: 'cancelled' },
};

const date = (s: string | undefined) => (s ? new Date(s) : undefined);

/** Maps a validated API event onto what the database stores. */
export function toIngestInput(e: EventInput, receivedAt = new Date()): IngestInput {
  const occurredAt = date(e.occurredAt) ?? receivedAt;
  const { customer: c, order: o } = e;
  const implied = ORDER_EVENTS[e.type];
  return {
    event: { id: e.id, type: e.type, occurredAt, properties: e.properties ?? {} },
    customer: {
      externalId: c.externalId,
      email: c.email,
      phone: c.phone,
      firstName: c.firstName,
      lastName: c.lastName,
      timezone: c.timezone,
      locale: c.locale,
      birthday: c.birthday,
      attributes: c.attributes,
      tags: c.tags,
      consent: c.consent,
    },
    order: o
      ? {
          externalId: o.externalId,
          total: o.total,
          currency: o.currency,
          items: o.items,
          status: o.status ?? implied?.status,
          placedAt: date(o.placedAt) ?? (e.type === 'order.placed' ? occurredAt : undefined),
          fulfilledAt: date(o.fulfilledAt) ?? (implied?.stamp === 'fulfilledAt' ? occurredAt : undefined),
          deliveredAt: date(o.deliveredAt) ?? (implied?.stamp === 'deliveredAt' ? occurredAt : undefined),
          refundedAt: date(o.refundedAt) ?? (implied?.stamp === 'refundedAt' ? occurredAt : undefined),
        }
      : null,
  };
}

/** Ingests one event; 'duplicate' when its id was seen before (nothing changes then). */
export async function ingestOne(db: Executor, workspaceId: string, e: EventInput) {
  const outcome = await ingestEvent(db, workspaceId, toIngestInput(e));
  return { id: e.id, status: outcome.status };
}

/**
 * Ingests a batch: events about one customer are applied in order, different customers in parallel
 * (bounded), so a batch is fast without reordering any customer's history.
 */
export async function ingestBatch(db: Executor, workspaceId: string, events: EventInput[], parallel = 8) {
  const lanes = new Map<string, number[]>();
  events.forEach((e, i) => {
    const key = e.customer.externalId ?? e.customer.email?.toLowerCase() ?? e.customer.phone ?? '';
    const lane = lanes.get(key);
    if (lane) lane.push(i);
    else lanes.set(key, [i]);
  });
  const results: { id: string; status: 'accepted' | 'duplicate' }[] = new Array(events.length);
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const i of lane) results[i] = await ingestOne(db, workspaceId, events[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  return results;
}
