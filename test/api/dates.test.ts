import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// Every date the API takes lies in one documented range (contract's Instant and CalendarDate):
// outside it, or not a real calendar day, is a 400 naming the field, never a 500 from PostgreSQL.

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let journeyId = '';
beforeAll(async () => {
  h = await harness('api_dates');
  tenant = await seedTenant(h.t.db, 'Dates shop');
  const res = await h.app.inject(
    withKey(tenant.keys.all, { method: 'POST', url: '/v1/journeys', payload: { name: 'Dated' } }),
  );
  journeyId = res.json().id;
});
afterAll(async () => h?.close());

const post = (url: string, payload: unknown) =>
  h.app.inject(withKey(tenant.keys.all, { method: 'POST', url, payload: payload as object }));
const get = (url: string) => h.app.inject(withKey(tenant.keys.all, { method: 'GET', url }));

function expectRejected(res: Awaited<ReturnType<typeof post>>, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json()).toMatchObject({ code: 'invalid_request', field });
}

describe('dates in events', () => {
  const YEAR_ZERO = '0000-01-01T00:00:00Z';

  it('refuses year 0000 in occurredAt, every order date and the birthday, naming the field', async () => {
    const base = orderEvent('dated', 20);
    expectRejected(await post('/v1/events', { ...base, occurredAt: YEAR_ZERO }), 'body.occurredAt');
    for (const key of ['placedAt', 'fulfilledAt', 'deliveredAt', 'refundedAt'] as const) {
      const event = { ...base, order: { ...base.order!, [key]: YEAR_ZERO } };
      expectRejected(await post('/v1/events', event), `body.order.${key}`);
    }
    const born = { ...base, customer: { ...base.customer, birthday: '0000-01-01' } };
    expectRejected(await post('/v1/events', born), 'body.customer.birthday');
    const batch = [orderEvent('dated-b', 5), { ...orderEvent('dated-c', 5), occurredAt: YEAR_ZERO }];
    expectRejected(await post('/v1/events/batch', { events: batch }), 'body.events.1.occurredAt');
    const customers = await h.t.pool.query(
      "select count(*)::int as n from customers where external_id like 'dated%'",
    );
    expect(customers.rows[0].n).toBe(0);
  });

  it('refuses days that do not exist', async () => {
    const base = orderEvent('impossible', 20);
    for (const occurredAt of ['2026-02-30T10:00:00Z', '2025-02-29T10:00:00Z', '2025-13-01T00:00:00Z'])
      expectRejected(await post('/v1/events', { ...base, occurredAt }), 'body.occurredAt');
    for (const birthday of ['2026-02-30', '1990-04-31', '1990-00-10'])
      expectRejected(
        await post('/v1/events', { ...base, customer: { ...base.customer, birthday } }),
        'body.customer.birthday',
      );
  });

  it('takes the whole documented range, edges included, and nothing beyond it', async () => {
    const at = (occurredAt: string) => post('/v1/events', { ...orderEvent('edges', 1), occurredAt });
    expect((await at('1900-01-01T00:00:00Z')).statusCode).toBe(202);
    expect((await at('2200-01-01T00:00:00Z')).statusCode).toBe(202);
    expect((await at('2024-02-29T23:59:59.999+14:00')).statusCode).toBe(202);
    expectRejected(await at('1899-12-31T23:59:59Z'), 'body.occurredAt');
    expectRejected(await at('1900-01-01T00:30:00+01:00'), 'body.occurredAt');
    expectRejected(await at('2200-01-01T00:00:01Z'), 'body.occurredAt');
    expectRejected(await at('9999-12-31T23:59:59Z'), 'body.occurredAt');
    const born = (birthday: string) =>
      post('/v1/events', { ...orderEvent('born', 1), customer: { externalId: 'born', birthday } });
    expect((await born('1900-01-01')).statusCode).toBe(202);
    expect((await born('2000-02-29')).statusCode).toBe(202);
    expectRejected(await born('1899-12-31'), 'body.customer.birthday');
    expectRejected(await born('2200-01-02'), 'body.customer.birthday');
  });
});

describe('date ranges in queries', () => {
  it('analytics: year 0000, impossible days and bare dates are a 400 on from / to', async () => {
    const url = (q: string) => `/v1/journeys/${journeyId}/analytics?${q}`;
    expectRejected(await get(url('from=0000-01-01T00:00:00Z')), 'querystring.from');
    expectRejected(await get(url('to=0000-01-01T00:00:00Z')), 'querystring.to');
    expectRejected(await get(url('from=0000-01-01')), 'querystring.from');
    expectRejected(await get(url('to=2026-02-30T00:00:00Z')), 'querystring.to');
    const ok = await get(url('from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z'));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('message log: year 0000, impossible days and bare dates are a 400 on from / to', async () => {
    expectRejected(await get('/v1/messages?from=0000-01-01T00:00:00Z'), 'querystring.from');
    expectRejected(await get('/v1/messages?to=0000-12-31T23:59:59Z'), 'querystring.to');
    expectRejected(await get('/v1/messages?from=0000-01-01'), 'querystring.from');
    expectRejected(await get('/v1/messages?from=2026-02-30T00:00:00Z'), 'querystring.from');
    const ok = await get('/v1/messages?from=1900-01-01T00:00:00Z&to=2200-01-01T00:00:00Z');
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
