import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import { customers, orders } from '../../schema';
import { normalizeOrderCodes } from '../discounts/redeem-sql';
import type { OrderInput } from '../ingest/inputs';
import { lockKeys, orderLockKey } from '../ingest/locks';
import { aovSql, customerOrderStats } from '../ingest/order-stats';
import { syncOrderItems } from '../recommendations/order-items';
import type { Customer } from './customers';

/** An order row. */
export type Order = typeof orders.$inferSelect;

/**
 * Inserts or updates an order by external id and recomputes the stats of its customer (and of
 * the previous customer if the order moved) in the same transaction. It stores the order's discount
 * codes without redeeming them: redemption belongs to the order event (ingestEvent).
 */
export async function upsertOrder(
  db: Executor,
  workspaceId: string,
  input: OrderInput,
): Promise<{ order: Order; created: boolean; customer: Customer }> {
  return db.transaction(async (tx) => {
    // The order lock (shared with ingest) comes first: ingest derives stats deltas from the
    // order's previous state and relies on nobody changing it meanwhile. Locking the customer
    // next serialises concurrent orders of one customer, so each recompute sees the other's
    // committed order instead of overwriting it with a stale sum.
    await lockKeys(tx, [orderLockKey(workspaceId, input.externalId)]);
    const [locked] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, input.customerId)))
      .for('update');
    if (!locked) throw new Error(`customer ${input.customerId} not found in workspace`);

    const [previous] = await tx
      .select({ customerId: orders.customerId })
      .from(orders)
      .where(and(eq(orders.workspaceId, workspaceId), eq(orders.externalId, input.externalId)));

    const discountCodes = normalizeOrderCodes(input.discountCodes);
    const values = {
      workspaceId,
      externalId: input.externalId,
      customerId: input.customerId,
      total: input.total ?? 0,
      currency: input.currency ?? 'USD',
      items: input.items ?? [],
      status: input.status ?? 'placed',
      placedAt: input.placedAt,
      fulfilledAt: input.fulfilledAt ?? undefined,
      deliveredAt: input.deliveredAt ?? undefined,
      refundedAt: input.refundedAt ?? undefined,
      discountCodes: discountCodes ?? [],
    };
    const [row] = await tx
      .insert(orders)
      .values(values)
      .onConflictDoUpdate({
        target: [orders.workspaceId, orders.externalId],
        set: {
          customerId: values.customerId,
          // Undefined entries are left out of the SET list: absent fields keep their stored values.
          total: input.total,
          currency: input.currency,
          items: input.items,
          status: input.status,
          placedAt: input.placedAt,
          fulfilledAt: values.fulfilledAt,
          deliveredAt: values.deliveredAt,
          refundedAt: values.refundedAt,
          discountCodes,
          updatedAt: new Date(),
        },
      })
      // xmax = 0 only on a freshly inserted tuple: tells insert from update in one round trip.
      .returning({ ...getTableColumns(orders), inserted: sql<boolean>`(xmax = 0)` });
    const { inserted, ...order } = row!;

    if (previous && previous.customerId !== input.customerId) {
      // Lock before recomputing, so the recompute's snapshot includes every committed order.
      await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, previous.customerId)))
        .for('update');
      await recomputeCustomerStats(tx, workspaceId, previous.customerId);
    }
    // Both customers are locked now: the products they bought can be brought in step.
    await syncOrderItems(tx, workspaceId, [input.externalId]);
    const customer = await recomputeCustomerStats(tx, workspaceId, input.customerId);
    return { order, created: inserted, customer };
  });
}

/**
 * Rederives orders_count, total_spent, aov and first/last order time from the customer's orders,
 * in one statement. Callers hold the customer's row lock from an earlier statement, so the
 * aggregate sees every committed order of the customer.
 */
export async function recomputeCustomerStats(
  db: Executor,
  workspaceId: string,
  customerId: string,
): Promise<Customer> {
  await db.execute(sql`update customers c set orders_count = a.n, total_spent = a.total,
      aov = ${aovSql(sql`a.total`, sql`a.n`)}, first_order_at = a.first, last_order_at = a.last
    from (${customerOrderStats(sql`${workspaceId}::uuid`, sql`${customerId}::uuid`)}) a
    where c.workspace_id = ${workspaceId}::uuid and c.id = ${customerId}::uuid`);
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  if (!row) throw new Error(`customer ${customerId} not found in workspace`);
  return row;
}

/** The order with this id in the workspace, or null. */
export async function getOrder(db: Executor, workspaceId: string, orderId: string): Promise<Order | null> {
  const [row] = await orderById(db, { workspaceId, orderId });
  return row ?? null;
}

// Read by a run's load and each of its actions: a prepared statement.
const orderById = preparedQuery('order_by_id', (db) =>
  db
    .select()
    .from(orders)
    .where(
      and(eq(orders.workspaceId, sql.placeholder('workspaceId')), eq(orders.id, sql.placeholder('orderId'))),
    ),
);

/** The order with this external id in the workspace, or null. */
export async function getOrderByExternalId(
  db: Executor,
  workspaceId: string,
  externalId: string,
): Promise<Order | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.workspaceId, workspaceId), eq(orders.externalId, externalId)));
  return row ?? null;
}
