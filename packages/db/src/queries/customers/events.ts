import { and, eq, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import { customers, eventOutbox, events, orders } from '../../schema';
import type { EventInput } from '../ingest/inputs';
import { eventLockKey, lockKeys } from '../ingest/locks';

/** An event row. */
export type Event = typeof events.$inferSelect;

/**
 * Stores the event and its routing outbox row in one transaction. Sending the same id again
 * returns the stored event with inserted: false and enqueues nothing.
 */
export async function insertEventOnce(
  db: Executor,
  workspaceId: string,
  input: EventInput,
): Promise<{ inserted: boolean; event: Event }> {
  return db.transaction(async (tx) => {
    // The event-id lock shared with ingest, which relies on it to see concurrent writers' events.
    await lockKeys(tx, [eventLockKey(workspaceId, input.id)]);
    const [created] = await tx
      .insert(events)
      .values({
        workspaceId,
        id: input.id,
        type: input.type,
        customerId: input.customerId ?? null,
        orderId: input.orderId ?? null,
        properties: input.properties ?? {},
        occurredAt: input.occurredAt ?? new Date(),
      })
      .onConflictDoNothing()
      .returning();
    if (created) {
      await tx.insert(eventOutbox).values({ workspaceId, eventId: created.id });
      return { inserted: true, event: created };
    }
    const existing = await getEvent(tx, workspaceId, input.id);
    if (!existing) throw new Error(`event ${input.id} conflicted but is not visible`);
    return { inserted: false, event: existing };
  });
}

/** The event with this id in the workspace, or null. */
export async function getEvent(db: Executor, workspaceId: string, eventId: string): Promise<Event | null> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.id, eventId)));
  return row ?? null;
}

/**
 * An event with its customer and order as they are now, in one round trip (routing reads all three);
 * null when the event does not exist. `customer` / `order` are null when the event has none.
 */
export async function getEventWithSubjects(
  db: Executor,
  workspaceId: string,
  eventId: string,
): Promise<{
  event: Event;
  customer: typeof customers.$inferSelect | null;
  order: typeof orders.$inferSelect | null;
} | null> {
  const [row] = await eventWithSubjects(db, { workspaceId, eventId });
  return row ?? null;
}

// Read for every routed event: a prepared statement.
const eventWithSubjects = preparedQuery('event_with_subjects', (db) =>
  db
    .select({ event: events, customer: customers, order: orders })
    .from(events)
    .leftJoin(
      customers,
      and(eq(customers.workspaceId, events.workspaceId), eq(customers.id, events.customerId)),
    )
    .leftJoin(orders, and(eq(orders.workspaceId, events.workspaceId), eq(orders.id, events.orderId)))
    .where(
      and(eq(events.workspaceId, sql.placeholder('workspaceId')), eq(events.id, sql.placeholder('eventId'))),
    ),
);
