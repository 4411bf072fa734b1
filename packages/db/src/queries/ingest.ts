import { sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { type CustomerInput, upsertCustomerFromEvent } from './customers';
import { type EventInput, getEvent, insertEventOnce } from './events';
import { type OrderInput, upsertOrder } from './orders';

/** Everything one ingested event writes. */
export type IngestInput = {
  event: Omit<EventInput, 'customerId' | 'orderId'>;
  customer: CustomerInput;
  order?: Omit<OrderInput, 'customerId'> | null;
};

/** Outcome of ingestEvent. */
export type IngestOutcome = {
  status: 'accepted' | 'duplicate';
  customerId: string | null;
  orderId: string | null;
};

/**
 * Applies an event exactly once, atomically: customer upsert, order upsert (and derived stats), event row
 * and its routing outbox row commit together or not at all. The same event id again changes nothing.
 * An advisory lock on the event id serialises concurrent deliveries of one event.
 */
export async function ingestEvent(
  db: Executor,
  workspaceId: string,
  input: IngestInput,
): Promise<IngestOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}/event/${input.event.id}`}, 0))`,
    );
    const existing = await getEvent(tx, workspaceId, input.event.id);
    if (existing) return { status: 'duplicate', customerId: existing.customerId, orderId: existing.orderId };
    const { customer } = await upsertCustomerFromEvent(tx, workspaceId, input.customer);
    const order = input.order
      ? (await upsertOrder(tx, workspaceId, { ...input.order, customerId: customer.id })).order
      : null;
    await insertEventOnce(tx, workspaceId, {
      ...input.event,
      customerId: customer.id,
      orderId: order?.id ?? null,
    });
    return { status: 'accepted', customerId: customer.id, orderId: order?.id ?? null };
  });
}
