import { QueryTimeoutError, withTimeout } from '@hourglass/db';
import { estimateAudience } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenGraph, simpleGraph } from './graphs';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// The publish dialog's estimate: customers who had the trigger event in the last 30 days, whose latest
// such event passes the trigger's filter, and who are in the entry segment now.

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
let bigSpenders: string;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const call = (method: string, url: string, payload?: unknown, key = tenant.keys.all) =>
  h.app.inject(
    withKey(key, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );

const send = async (customer: string, total: number, daysAgo: number, type = 'order.placed') => {
  const res = await call('POST', '/v1/events', {
    ...orderEvent(customer, total),
    type,
    occurredAt: ago(daysAgo),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
};

beforeAll(async () => {
  h = await harness('api_audience_estimate');
  tenant = await seedTenant(h.t.db, 'Estimate shop');
  other = await seedTenant(h.t.db, 'Other shop');
  // ann: a big order 10 days ago, a small one (her latest) 2 days ago: spent 350 in all.
  await send('ann', 300, 10);
  await send('ann', 50, 2);
  await send('bob', 150, 5); // spent 150
  await send('cy', 200, 1); // spent 200
  await send('dee', 500, 40); // too long ago
  await send('eve', 900, 3, 'order.shipped'); // another event
  const seg = await call('POST', '/v1/segments', {
    name: 'Spent over $180',
    rule: { field: 'customer.stats.totalSpent', op: 'gt', value: 180 },
  });
  bigSpenders = seg.json().id;
});
afterAll(async () => h?.close());

const filterOver = (total: number) => ({ field: 'order.total', op: 'gt', value: total });
const withEntry = (filter: unknown, segmentId: string | null) =>
  simpleGraph('order.placed', {
    start: { kind: 'event', eventType: 'order.placed', filter },
    entry: { segmentId },
  });

async function journeyWith(name: string, graph: unknown) {
  const res = await call('POST', '/v1/journeys', { name, graph });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('audience estimate', () => {
  it('counts the customers with the event lately, whose latest one passes the filter, in the segment now', async () => {
    const id = await journeyWith('Big orders', withEntry(filterOver(100), bigSpenders));
    const res = await call('POST', `/v1/journeys/${id}/audience-estimate`);
    expect(res.statusCode, res.body).toBe(200);
    // ann, bob and cy ordered in 30 days (dee 40 days ago, eve shipped only); ann's latest order is $50,
    // so bob and cy pass the filter; of them only cy spent over $180 (ann did, but her latest order fails).
    expect(res.json()).toEqual({
      trigger: 'event',
      eventType: 'order.placed',
      windowDays: 30,
      hadEvent: 3,
      passedFilter: 2,
      entrySegment: { id: bigSpenders, name: 'Spent over $180' },
      entryConditions: false,
      matching: 1,
      sampled: null,
    });
  });

  it('without a filter counts in SQL alone, estimates a graph given in the body, and a date trigger by segment', async () => {
    const id = await journeyWith('Everyone', withEntry(null, null));
    const all = (await call('POST', `/v1/journeys/${id}/audience-estimate`, {})).json();
    expect(all).toMatchObject({ hadEvent: 3, passedFilter: null, entrySegment: null, matching: 3 });

    const given = await call('POST', `/v1/journeys/${id}/audience-estimate`, {
      graph: withEntry(null, bigSpenders),
    });
    expect(given.json()).toMatchObject({ hadEvent: 3, passedFilter: null, matching: 2 }); // ann and cy
    // Nothing was saved.
    expect(
      (await call('GET', `/v1/journeys/${id}`)).json().draftGraph.nodes[0].data.config.entry.segmentId,
    ).toBe(null);

    const date = simpleGraph('order.placed', {
      start: { kind: 'date', source: 'first_order_anniversary' },
      scope: 'customer',
      entry: { rule: 'once_per_customer', segmentId: bigSpenders },
    });
    const byDate = await call('POST', `/v1/journeys/${id}/audience-estimate`, { graph: date });
    expect(byDate.json()).toMatchObject({ trigger: 'date', eventType: null, hadEvent: null, matching: 4 }); // ann, cy, dee, eve (her order counts)
  });

  it('scales the filter counts from a fair sample when there are more customers than it checks', async () => {
    const graph = withEntry(filterOver(10), bigSpenders);
    const r = await estimateAudience(h.t.db, tenant.workspace.id, graph, 'body.graph', { sampleMax: 2 });
    // Every recent customer passes the filter; of any two checked, the share in the segment decides.
    expect(r).toMatchObject({ hadEvent: 3, passedFilter: 3, sampled: 2 });
    expect([0, 2, 3]).toContain(r.matching);
  });

  it("answers 404 for another workspace's journey and 422 for an invalid or oversized graph, quickly", async () => {
    const id = await journeyWith('Private', withEntry(null, null));
    const foreign = await call('POST', `/v1/journeys/${id}/audience-estimate`, {}, other.keys.all);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('not_found');

    const broken = await call('POST', `/v1/journeys/${id}/audience-estimate`, { graph: brokenGraph });
    expect(broken.statusCode).toBe(422);
    expect(broken.json()).toMatchObject({
      code: 'journey_invalid',
      field: 'body.graph',
      diagnostics: expect.arrayContaining([expect.objectContaining({ code: 'trigger.missing' })]),
    });

    // 1,600 conditions (8 groups of 200): refused before any customer is read.
    const huge = {
      any: Array.from({ length: 8 }, (_, g) => ({
        all: Array.from({ length: 200 }, (_, i) => filterOver(g * 200 + i)),
      })),
    };
    const started = Date.now();
    const tooBig = await call('POST', `/v1/journeys/${id}/audience-estimate`, {
      graph: withEntry(huge, null),
    });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json()).toMatchObject({
      code: 'filter.too_complex',
      field: 'body.graph.nodes.0.data.config.start.filter',
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    const unknown = await call('POST', '/v1/journeys/00000000-0000-4000-8000-000000000000/audience-estimate');
    expect(unknown.statusCode).toBe(404);
    const notJson = await call('POST', `/v1/journeys/${id}/audience-estimate`, { graph: { nodes: 'x' } });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('invalid_request');
  });

  it('cancels a statement over the time budget instead of holding the connection', async () => {
    const slow = withTimeout(h.t.db, 50, (tx) => tx.execute('select pg_sleep(2)'));
    await expect(slow).rejects.toBeInstanceOf(QueryTimeoutError);
    // The pool is still usable afterwards.
    expect((await h.t.db.execute('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
