import type { EventInput } from '@hourglass/contract';
import { type Executor, type IngestInput, ingestEvent, ingestEvents } from '@hourglass/db';

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
          discountCodes: o.discountCodes,
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
 * Ingests a batch in order (so no customer's history is reordered), each event exactly once; a
 * repeated id answers 'duplicate'. A few transactions of many events each, one statement per event.
 */
export async function ingestBatch(db: Executor, workspaceId: string, events: EventInput[]) {
  const receivedAt = new Date();
  const outcomes = await ingestEvents(
    db,
    workspaceId,
    events.map((e) => toIngestInput(e, receivedAt)),
  );
  return outcomes.map((o, i) => ({ id: events[i]!.id, status: o.status }));
}
