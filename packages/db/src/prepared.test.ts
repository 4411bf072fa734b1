import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from './client';
import { getCustomer, getCustomerAndOrder, upsertCustomerFromEvent } from './queries/customers/customers';
import { getEventWithSubjects, insertEventOnce } from './queries/customers/events';
import { getOrder, upsertOrder } from './queries/customers/orders';
import { customers } from './schema';
import { freshDatabase, seedWorkspace, type TestDatabase } from './testing';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('prepared');
});
afterAll(async () => {
  await t?.drop();
});

describe('preparedQuery', () => {
  it('maps rows exactly as the unprepared query does, on the pool and inside a transaction', async () => {
    const ws = await seedWorkspace(t.db, 'Prepared');
    const { customer } = await upsertCustomerFromEvent(t.db, ws.id, {
      externalId: 'c1',
      email: 'ada@example.com',
      firstName: 'Ada',
      attributes: { tier: 'gold' },
    });
    const [plain] = await t.db
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, ws.id), eq(customers.id, customer.id)));
    expect(await getCustomer(t.db, ws.id, customer.id)).toEqual(plain);
    const inTx = await t.db.transaction((tx) => getCustomer(tx, ws.id, customer.id));
    expect(inTx).toEqual(plain);
    expect(inTx?.createdAt).toBeInstanceOf(Date);
    // Another workspace's id finds nothing: the placeholders are bound per call, not at build time.
    const other = await seedWorkspace(t.db, 'Other');
    expect(await getCustomer(t.db, other.id, customer.id)).toBeNull();
  });

  it('maps a left join to null where the joined row is missing', async () => {
    const ws = await seedWorkspace(t.db, 'Joins');
    const { customer } = await upsertCustomerFromEvent(t.db, ws.id, {
      externalId: 'c9',
      email: 'j@example.com',
    });
    await insertEventOnce(t.db, ws.id, { id: 'evt-j', type: 'viewed', customerId: customer.id });
    const found = await getEventWithSubjects(t.db, ws.id, 'evt-j');
    expect(found?.event).toMatchObject({
      id: 'evt-j',
      type: 'viewed',
      customerId: customer.id,
      orderId: null,
    });
    expect(found?.customer).toMatchObject({ id: customer.id, email: 'j@example.com' });
    expect(found?.order).toBeNull();
    expect(await getEventWithSubjects(t.db, ws.id, 'evt-missing')).toBeNull();
  });

  it('reads a customer with one of their orders, or with none', async () => {
    const ws = await seedWorkspace(t.db, 'Subjects');
    const { customer } = await upsertCustomerFromEvent(t.db, ws.id, {
      externalId: 'c3',
      email: 's@example.com',
    });
    const { order } = await upsertOrder(t.db, ws.id, {
      externalId: 'o3',
      customerId: customer.id,
      total: 12,
    });
    const both = await getCustomerAndOrder(t.db, ws.id, customer.id, order.id);
    expect(both?.customer).toEqual(await getCustomer(t.db, ws.id, customer.id));
    expect(both?.order).toEqual(await getOrder(t.db, ws.id, order.id));
    expect(await getCustomerAndOrder(t.db, ws.id, customer.id, null)).toMatchObject({ order: null });
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await getCustomerAndOrder(t.db, ws.id, customer.id, missing)).toMatchObject({ order: null });
    expect(await getCustomerAndOrder(t.db, ws.id, missing, order.id)).toBeNull();
    const other = await seedWorkspace(t.db, 'Elsewhere');
    expect(await getCustomerAndOrder(t.db, other.id, customer.id, order.id)).toBeNull();
  });

  it('runs in the caller’s transaction, so a rollback undoes what it saw', async () => {
    const ws = await seedWorkspace(t.db, 'Rollback');
    const byEmail = preparedQuery('test_customer_by_email', (db) =>
      db
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.workspaceId, sql.placeholder('workspaceId')),
            eq(customers.email, sql.placeholder('email')),
          ),
        ),
    );
    await expect(
      t.db.transaction(async (tx) => {
        await upsertCustomerFromEvent(tx, ws.id, { externalId: 'c2', email: 'tx@example.com' });
        expect(await byEmail(tx, { workspaceId: ws.id, email: 'tx@example.com' })).toHaveLength(1);
        // The pool's connection does not see the uncommitted row.
        expect(await byEmail(t.db, { workspaceId: ws.id, email: 'tx@example.com' })).toHaveLength(0);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byEmail(t.db, { workspaceId: ws.id, email: 'tx@example.com' })).toHaveLength(0);
  });

  it('refuses a statement name that is already taken', () => {
    expect(() => preparedQuery('customer_by_id', (db) => db.select().from(customers))).toThrow(
      'prepared query customer_by_id is defined twice',
    );
  });
});
