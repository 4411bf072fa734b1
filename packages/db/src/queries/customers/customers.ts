import { and, desc, eq, or, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import { customers, orders } from '../../schema';
import { applyCustomerUpsert } from '../ingest/ingest';
import type { CustomerInput } from '../ingest/inputs';
import { customerIdentity } from '../ingest/locks';

/** A customer row. */
export type Customer = typeof customers.$inferSelect;

/**
 * Finds the customer an event refers to (external id, else email, else phone) and merges the
 * event's data into it, or creates the customer. Scalars are overwritten only by present values,
 * attributes are shallow-merged, tags unioned, consent merged per channel. Concurrent calls about
 * one new customer are serialised by advisory locks on its identities (see ./locks).
 */
export async function upsertCustomerFromEvent(
  db: Executor,
  workspaceId: string,
  input: CustomerInput,
): Promise<{ customer: Customer; created: boolean }> {
  customerIdentity(input); // throws before opening a transaction
  return db.transaction(async (tx) => {
    const { customerId, created } = await applyCustomerUpsert(tx, workspaceId, input);
    const customer = await getCustomer(tx, workspaceId, customerId);
    if (!customer) throw new Error(`customer ${customerId} vanished`);
    return { customer, created };
  });
}

/** The customer with this id in the workspace, or null. */
export async function getCustomer(
  db: Executor,
  workspaceId: string,
  customerId: string,
): Promise<Customer | null> {
  const [row] = await customerById(db, { workspaceId, customerId });
  return row ?? null;
}

// Read by every run (its load, each action, the sender): a prepared statement.
const customerById = preparedQuery('customer_by_id', (db) =>
  db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.workspaceId, sql.placeholder('workspaceId')),
        eq(customers.id, sql.placeholder('customerId')),
      ),
    ),
);

/**
 * A customer and one of their orders (or none: `orderId` null) as they are now, in one round trip: what
 * a run reads before each step that uses them. Null when the customer does not exist; `order` is null
 * when the order does not exist.
 */
export async function getCustomerAndOrder(
  db: Executor,
  workspaceId: string,
  customerId: string,
  orderId: string | null,
): Promise<{ customer: Customer; order: typeof orders.$inferSelect | null } | null> {
  const [row] = await customerAndOrder(db, { workspaceId, customerId, orderId });
  return row ?? null;
}

const customerAndOrder = preparedQuery('customer_and_order', (db) =>
  db
    .select({ customer: customers, order: orders })
    .from(customers)
    .leftJoin(
      orders,
      and(eq(orders.workspaceId, customers.workspaceId), eq(orders.id, sql.placeholder('orderId'))),
    )
    .where(
      and(
        eq(customers.workspaceId, sql.placeholder('workspaceId')),
        eq(customers.id, sql.placeholder('customerId')),
      ),
    ),
);

/** The customer with this external id in the workspace, or null. */
export async function getCustomerByExternalId(
  db: Executor,
  workspaceId: string,
  externalId: string,
): Promise<Customer | null> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.externalId, externalId)));
  return row ?? null;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Customers matching `query` by email/name prefix (any case), exact phone or exact external id; newest
 * first. Every arm is served by an index (a prefix LIKE on a lower()-ed text_pattern_ops expression),
 * so a search reads the matches, not the workspace: see customers_workspace_*_idx in the schema.
 */
export async function searchCustomers(
  db: Executor,
  workspaceId: string,
  opts: { query?: string; limit?: number; offset?: number } = {},
): Promise<Customer[]> {
  return searchCustomersQuery(db, workspaceId, opts);
}

/** The query behind searchCustomers, unexecuted (plan tests EXPLAIN it). */
export function searchCustomersQuery(
  db: Executor,
  workspaceId: string,
  opts: { query?: string; limit?: number; offset?: number } = {},
) {
  const q = opts.query?.trim();
  const prefix = q ? `${likeEscape(q.toLowerCase())}%` : undefined;
  const match =
    q && prefix
      ? or(
          eq(customers.externalId, q),
          eq(customers.phone, q),
          sql`lower(${customers.email}) like ${prefix}`,
          sql`lower(${customers.firstName}) like ${prefix}`,
          sql`lower(${customers.lastName}) like ${prefix}`,
          sql`lower(${customers.firstName} || ' ' || ${customers.lastName}) like ${prefix}`,
        )
      : undefined;
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), match))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(Math.min(opts.limit ?? 50, 500))
    .offset(opts.offset ?? 0);
}

/** Takes tags off a customer (the others keep their order); whether any was there. */
export async function removeCustomerTags(
  db: Executor,
  workspaceId: string,
  customerId: string,
  tags: string[],
): Promise<boolean> {
  if (tags.length === 0) return false;
  const list = sql`array[${sql.join(
    tags.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  const rows = await db
    .update(customers)
    .set({
      tags: sql`array(select t from unnest(${customers.tags}) with ordinality as x(t, i) where not (t = any(${list})) order by i)`,
    })
    .where(
      and(
        eq(customers.workspaceId, workspaceId),
        eq(customers.id, customerId),
        sql`${customers.tags} && ${list}`,
      ),
    )
    .returning({ id: customers.id });
  return rows.length > 0;
}
