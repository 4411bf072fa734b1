import type { Rule } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, seedTenant, withKey } from './harness';

// "Performed event X at least N times within D days" through the HTTP API: previews, segments
// that store such a rule, and bad values answered with a code and the field at fault.

let h: Harness;
let key: string;
const DAY = 86_400_000;
let seq = 0;

const review = (customer: string, daysAgo: number) => ({
  id: `rev_${customer}_${++seq}`,
  type: 'review.submitted',
  occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
  customer: { externalId: customer, email: `${customer}@example.com` },
  properties: { rating: 5 },
});

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  h.app.inject(
    withKey(key, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) }),
  );

beforeAll(async () => {
  h = await harness('api_segments_performed');
  key = (await seedTenant(h.t.db, 'Performed API shop')).keys.all;
  const events = [review('fan', 3), review('fan', 25), review('lapsed', 4), review('lapsed', 40)];
  events.push({ ...review('quiet', 0), type: 'customer.updated' });
  const res = await call('POST', '/v1/events/batch', { events });
  expect(res.statusCode, res.body).toBeLessThan(300);
});
afterAll(async () => h?.close());

const twoReviewsIn30: Rule = { performed: { eventType: 'review.submitted', atLeast: 2, withinDays: 30 } };

describe('performed conditions over HTTP', () => {
  it('previews count and sample', async () => {
    const res = await call('POST', '/v1/segments/preview', { rule: twoReviewsIn30 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.count).toBe(1);
    expect(body.sample.map((c: { email: string }) => c.email)).toEqual(['fan@example.com']);
    // Defaults: at least once, ever.
    const ever = await call('POST', '/v1/segments/preview', {
      rule: { performed: { eventType: 'review.submitted' } },
    });
    expect(ever.json().count).toBe(2);
  });

  it('stores a segment with the rule, defaults filled, and answers membership', async () => {
    const created = await call('POST', '/v1/segments', {
      name: 'Reviewers',
      rule: { all: [{ performed: { eventType: 'review.submitted', withinDays: 30 } }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const seg = created.json();
    expect(seg.rule).toEqual({
      all: [{ performed: { eventType: 'review.submitted', atLeast: 1, withinDays: 30 } }],
    });
    expect((await call('GET', `/v1/segments/${seg.id}/preview`)).json().count).toBe(2);

    const patched = await call('PATCH', `/v1/segments/${seg.id}`, { rule: twoReviewsIn30 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await call('GET', `/v1/segments/${seg.id}/preview`)).json().count).toBe(1);
    const lapsed = (await call('GET', '/v1/customers?q=lapsed')).json()[0];
    expect((await call('GET', `/v1/segments/${seg.id}/members/${lapsed.id}`)).json()).toEqual({
      member: false,
    });
  });

  it.each([
    [{ eventType: 'review.submitted', atLeast: 0 }, 'body.rule.performed.atLeast'],
    [{ eventType: 'review.submitted', atLeast: 2.5 }, 'body.rule.performed.atLeast'],
    [{ eventType: 'review.submitted', withinDays: 0 }, 'body.rule.performed.withinDays'],
    [{ eventType: 'review.submitted', withinDays: 3651 }, 'body.rule.performed.withinDays'],
    [{ eventType: 'not an event' }, 'body.rule.performed.eventType'],
    [{ eventType: 'review.submitted', extra: 1 }, 'body.rule.performed'],
  ])('rejects %j with 400 at %s', async (performed, field) => {
    for (const url of ['/v1/segments', '/v1/segments/preview']) {
      const res = await call('POST', url, { name: 'Bad', rule: { performed } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', field });
    }
  });

  it('rejects a bad value deep in a group, and stores nothing', async () => {
    const before = (await call('GET', '/v1/segments')).json().length;
    const res = await call('POST', '/v1/segments', {
      name: 'Deep',
      rule: { any: [{ not: { performed: { eventType: 'order.placed', withinDays: -1 } } }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'invalid_request',
      field: 'body.rule.any.0.not.performed.withinDays',
    });
    expect((await call('GET', '/v1/segments')).json()).toHaveLength(before);
  });
});
