import { createJourney, upsertCustomerFromEvent, upsertRun } from '@hourglass/db';
import { createServiceFactory } from '@hourglass/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from '../fakes/shopify/admin-api';
import { type Harness, harness, seedTenant, withKey } from './harness';

// The create-discount action with a connected Shopify store: each code the journey issues is also
// made in the store (discountCodeBasicCreate: single use, for the shopper when they came from the
// store, percent or amount, expiry), exactly once even when an answer is lost and the step retries.

const TOKEN = 'shpat_discounts';
let h: Harness;
let fake: FakeShopifyAdmin;
let a: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin({ shopName: 'Discount Shop', tokens: [TOKEN] });
  h = await harness('api_shopify_discounts', { channels: config() });
  a = await seedTenant(h.t.db, 'Discounts A');
  const res = await h.app.inject(
    withKey(a.keys.admin, {
      method: 'PUT',
      url: '/v1/workspace/shopify',
      payload: { shopDomain: 'discount-shop.myshopify.com', clientSecret: 'shpss_d', accessToken: TOKEN },
    }),
  );
  expect(res.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

function config() {
  return testConfig(undefined, {
    outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] },
    shopify: { apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 3000, reconcileMinutes: 0 },
  });
}

async function discounts(workspaceId: string, externalId: string) {
  const { customer } = await upsertCustomerFromEvent(h.t.db, workspaceId, {
    externalId,
    email: `${externalId}@example.com`,
  });
  const journey = await createJourney(h.t.db, workspaceId, { name: `Win-back ${externalId}` });
  const run = await upsertRun(h.t.db, workspaceId, {
    workflowId: `wf-${journey.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  const services = createServiceFactory(
    h.t.db,
    config(),
  )({
    workspaceId,
    runRowId: run.id,
    stepId: 'discount',
    now: () => new Date('2026-01-01T00:00:00Z'),
    send: async () => ({ status: 'sent', messageId: null }),
    log: { info: () => {}, warn: () => {} },
  });
  const request = (over: object = {}) => ({
    idempotencyKey: `${run.workflowId}:discount`,
    customerId: customer.id,
    runId: run.id,
    journeyId: run.journeyId,
    stepId: 'discount',
    kind: 'percent' as const,
    value: 15,
    currency: null,
    expiresAt: new Date('2026-02-01T00:00:00Z'),
    prefix: 'BACK-',
    ...over,
  });
  return { create: (over?: object) => services.discounts!.create(request(over)) };
}

describe('Shopify discount codes', () => {
  it('makes the code in the store once: single use, for the Shopify customer, percent off, expiring', async () => {
    const { create } = await discounts(a.workspace.id, '115310627314723954');
    const issued = await create();
    expect(issued.code).toMatch(/^BACK-/);
    expect(fake.discounts.get(issued.code)).toMatchObject({
      code: issued.code,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      endsAt: '2026-02-01T00:00:00.000Z',
      context: { customers: { add: ['gid://shopify/Customer/115310627314723954'] } },
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    });
    const before = fake.discounts.size;
    expect(await create()).toEqual(issued);
    expect(fake.discounts.size).toBe(before);
  });

  it('an answer lost on the way back fails the attempt as retryable; the retry makes no second code', async () => {
    const { create } = await discounts(a.workspace.id, 'crm-77');
    fake.failDiscountCreates = 1;
    const before = fake.discounts.size;
    await expect(create({ kind: 'amount', value: 5, currency: 'USD' })).rejects.toMatchObject({
      code: 'shopify.failed',
      retryable: true,
    });
    const issued = await create({ kind: 'amount', value: 5, currency: 'USD' });
    expect(fake.discounts.size).toBe(before + 1);
    expect(fake.discounts.get(issued.code)).toMatchObject({
      context: { all: 'ALL' },
      customerGets: { value: { discountAmount: { amount: '5.00', appliesOnEachItem: false } } },
    });
  });

  it('a workspace without a store keeps its codes to itself', async () => {
    const other = await seedTenant(h.t.db, 'Discounts B');
    const before = fake.requests.length;
    const issued = await (await discounts(other.workspace.id, '42')).create();
    expect(issued.code).toMatch(/^BACK-/);
    expect(fake.requests.length).toBe(before);
  });
});
