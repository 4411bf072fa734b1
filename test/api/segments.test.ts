import { evaluateRule, type Rule } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await harness('api_segments');
  key = (await seedTenant(h.t.db, 'Segments shop')).keys.all;
  const send = (e: unknown) =>
    h.app.inject(withKey(key, { method: 'POST', url: '/v1/events', payload: e as object }));
  await send(
    orderEvent('first', 150, {
      customer: {
        externalId: 'first',
        email: 'first@example.com',
        attributes: { plan: 'gold', score: '42' },
        tags: ['new'],
      },
    }),
  );
  for (const total of [300, 400, 500])
    await send(
      orderEvent('loyal', total, {
        customer: {
          externalId: 'loyal',
          email: 'loyal@example.com',
          firstName: 'Lo',
          attributes: { plan: 'silver', vip: true },
        },
      }),
    );
  await send({
    id: 'signup',
    type: 'customer.created',
    customer: { externalId: 'lead', phone: '+33600000000', consent: { sms: 'subscribed' } },
  });
});
afterAll(async () => h?.close());

const call = (method: string, url: string, payload?: unknown) =>
  h.app.inject(
    withKey(key, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );

const RULES: Rule[] = [
  {
    all: [
      { field: 'customer.stats.ordersCount', op: 'eq', value: 1 },
      { field: 'customer.stats.totalSpent', op: 'gt', value: 100 },
    ],
  },
  { field: 'customer.stats.aov', op: 'gt', value: 300 },
  { field: 'customer.attributes.plan', op: 'in', value: ['gold', 'bronze'] },
  { field: 'customer.attributes.score', op: 'gte', value: 40 },
  { field: 'customer.attributes.vip', op: 'is_true' },
  { not: { field: 'customer.attributes.vip', op: 'is_true' } },
  { field: 'customer.email', op: 'contains', value: 'LOYAL' },
  { field: 'customer.tags', op: 'contains', value: 'new' },
  { field: 'customer.consent.sms', op: 'eq', value: 'subscribed' },
  { field: 'customer.email', op: 'exists' },
  { field: 'customer.firstName', op: 'neq', value: 'Lo' },
  { field: 'customer.stats.lastOrderAt', op: 'gt', value: '2000-01-01' },
  { any: [] },
];

describe('segments', () => {
  it('compile to SQL with the same answers as evaluateRule', async () => {
    const customers = (await call('GET', '/v1/customers')).json();
    expect(customers).toHaveLength(3);
    for (const rule of RULES) {
      const preview = (await call('POST', '/v1/segments/preview', { rule, sample: 100 })).json();
      const expected = [];
      for (const c of customers) {
        const context = {
          customer: {
            ...c,
            stats: {
              ordersCount: c.ordersCount,
              totalSpent: c.totalSpent,
              aov: c.aov,
              lastOrderAt: c.lastOrderAt,
              firstOrderAt: c.firstOrderAt,
            },
          },
        };
        if (evaluateRule(rule, context).result) expected.push(c.id);
      }
      expect(preview.sample.map((s: { id: string }) => s.id).sort(), JSON.stringify(rule)).toEqual(
        expected.sort(),
      );
      expect(preview.count).toBe(expected.length);
    }
  });

  it('CRUD, nested segment references and one-customer membership', async () => {
    const vip = (
      await call('POST', '/v1/segments', {
        name: 'VIP',
        rule: { field: 'customer.stats.aov', op: 'gt', value: 300 },
      })
    ).json();
    const nested = (
      await call('POST', '/v1/segments', {
        name: 'VIP w/ email',
        rule: { all: [{ segment: vip.id }, { field: 'customer.email', op: 'exists' }] },
      })
    ).json();
    expect((await call('GET', `/v1/segments/${nested.id}/preview`)).json().count).toBe(1);
    const loyal = (await call('GET', '/v1/customers?q=loyal')).json()[0];
    const first = (await call('GET', '/v1/customers?q=first@')).json()[0];
    expect((await call('GET', `/v1/segments/${nested.id}/members/${loyal.id}`)).json()).toEqual({
      member: true,
    });
    expect((await call('GET', `/v1/segments/${nested.id}/members/${first.id}`)).json()).toEqual({
      member: false,
    });
    await call('PATCH', `/v1/segments/${vip.id}`, {
      rule: { field: 'customer.stats.aov', op: 'gt', value: 1000 },
    });
    expect((await call('GET', `/v1/segments/${nested.id}/preview`)).json().count).toBe(0);
    expect(
      (
        await call('POST', '/v1/segments', {
          name: 'bad',
          rule: { field: 'order.total', op: 'gt', value: 1 },
        })
      ).json().code,
    ).toBe('rule_unsupported');
    expect((await call('DELETE', `/v1/segments/${vip.id}`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/segments/${vip.id}`)).statusCode).toBe(404);
  });

  it('searches customers and shows a profile with orders and events', async () => {
    for (const q of ['loyal@example.com', 'Lo', 'loyal', '+33600000000']) {
      expect(
        (await call('GET', `/v1/customers?q=${encodeURIComponent(q)}`)).json().length,
        q,
      ).toBeGreaterThan(0);
    }
    const loyal = (await call('GET', '/v1/customers?q=loyal')).json()[0];
    const profile = (await call('GET', `/v1/customers/${loyal.id}`)).json();
    expect(profile.orders).toHaveLength(3);
    expect(profile.events).toHaveLength(3);
    expect(profile.customer).toMatchObject({ ordersCount: 3, totalSpent: 1200, aov: 400 });
    expect((await call('GET', `/v1/customers/${loyal.id}/runs`)).json()).toEqual({
      runs: [],
      nextCursor: null,
    });
  });
});
