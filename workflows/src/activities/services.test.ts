import { channelsConfigFromEnv } from '@hourglass/channels';
import { createJourney, upsertCustomerFromEvent, upsertRun } from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { ActionError } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceFactory } from './services';

// The worker's real action services, on a real database: what an action gets by naming them.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('action_services');
});
afterAll(async () => t?.drop());

async function scope() {
  const ws = await seedWorkspace(t.db);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { email: 'ada@example.com' });
  const journey = await createJourney(t.db, ws.id, { name: 'Services' });
  const run = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${journey.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  const log = { info: () => {}, warn: () => {} };
  const services = createServiceFactory(
    t.db,
    channelsConfigFromEnv({}),
  )({
    workspaceId: ws.id,
    runRowId: run.id,
    stepId: 'crm',
    now: () => new Date('2026-01-01T00:00:00Z'),
    send: async () => ({ status: 'sent', messageId: null }),
    log,
  });
  return { services, ws, customer, run };
}

describe('action services of the worker', () => {
  it('store.once: what an earlier attempt made is what every later attempt gets', async () => {
    const { services } = await scope();
    let made = 0;
    const make = async () => ({ contactId: `c-${++made}` });
    expect(await services.store!.once('crm.contact', make)).toEqual({ contactId: 'c-1' });
    expect(await services.store!.once('crm.contact', make)).toEqual({ contactId: 'c-1' });
    expect(made).toBe(1);
  });

  it('store.once refuses a value over its size limit and a key it cannot keep, for good', async () => {
    const { services } = await scope();
    const big = services.store!.once('blob', async () => 'x'.repeat(20_000));
    await expect(big).rejects.toMatchObject({ code: 'store.too_large', retryable: false });
    await expect(services.store!.once('', async () => 1)).rejects.toBeInstanceOf(ActionError);
  });

  it('discounts.create: one code per idempotency key; catalog.recommend: an empty history gives nothing', async () => {
    const { services, customer, run } = await scope();
    const req = {
      idempotencyKey: `${run.workflowId}:discount`,
      customerId: customer.id,
      runId: run.id,
      journeyId: run.journeyId,
      stepId: 'discount',
      kind: 'percent' as const,
      value: 10,
      currency: null,
      expiresAt: null,
      prefix: 'HI-',
    };
    const first = await services.discounts!.create(req);
    expect(first.code).toMatch(/^HI-/);
    expect(await services.discounts!.create({ ...req, value: 50 })).toEqual(first);
    const bad = services.discounts!.create({ ...req, idempotencyKey: 'other', value: 150 });
    await expect(bad).rejects.toMatchObject({ code: 'discount.invalid', retryable: false });
    const none = await services.catalog!.recommend({
      customerId: customer.id,
      orderId: null,
      skus: [],
      limit: 4,
    });
    expect(none).toEqual([]);
  });

  it('customers.update sets attributes, adds and removes tags, and says whether anything changed', async () => {
    const { services, customer } = await scope();
    const update = (over: object) =>
      services.customers!.update({
        customerId: customer.id,
        setAttributes: [],
        addTags: [],
        removeTags: [],
        ...over,
      });
    expect(await update({ addTags: ['vip', 'review_requested'] })).toEqual({ changed: true });
    expect(await update({ addTags: ['vip'] })).toEqual({ changed: false });
    expect(
      await update({ removeTags: ['review_requested'], setAttributes: [{ key: 'tier', value: 'gold' }] }),
    ).toEqual({
      changed: true,
    });
    const { rows } = await t.pool.query('select tags, attributes from customers where id = $1', [
      customer.id,
    ]);
    expect(rows[0]).toMatchObject({ tags: ['vip'], attributes: { tier: 'gold' } });
    expect(await update({ removeTags: ['absent'] })).toEqual({ changed: false });
  });
});
