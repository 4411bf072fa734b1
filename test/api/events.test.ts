import { countPendingOutbox, getCustomerByExternalId, recommendProducts } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await harness('api_events');
  tenant = await seedTenant(h.t.db, 'Events shop');
});
afterAll(async () => h?.close());

const post = (key: string, url: string, payload: unknown) =>
  h.app.inject(withKey(key, { method: 'POST', url, payload: payload as object }));

describe('POST /v1/events', () => {
  it('stores the event once: 202 then 200 duplicate, with derived stats applied once', async () => {
    const event = orderEvent('cus_a', 150);
    const first = await post(tenant.keys.ingest, '/v1/events', event);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ id: event.id, status: 'accepted' });
    const again = await post(tenant.keys.ingest, '/v1/events', {
      ...event,
      order: { ...event.order!, total: 999 },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: event.id, status: 'duplicate' });
    const customer = await getCustomerByExternalId(h.t.db, tenant.workspace.id, 'cus_a');
    expect(customer).toMatchObject({ ordersCount: 1, totalSpent: 150, aov: 150, timezone: 'Europe/Paris' });
    expect(await countPendingOutbox(h.t.db, tenant.workspace.id)).toBe(1);
  });

  it('keeps one customer, exact stats and one outbox row per event when single events race', async () => {
    // Different orders of one new customer (matched by email only), each also sent twice at once.
    const events = Array.from({ length: 8 }, (_, i) => ({
      ...orderEvent('unused', 10 * (i + 1)),
      customer: { email: 'Racer@Example.com', timezone: 'America/Chicago' },
    }));
    const answers = await Promise.all(
      [...events, ...events].map((e) => post(tenant.keys.ingest, '/v1/events', e)),
    );
    const byId = new Map<string, number[]>();
    answers.forEach((res, i) => {
      const id = events[i % events.length]!.id;
      byId.set(id, [...(byId.get(id) ?? []), res.statusCode]);
    });
    for (const statuses of byId.values()) expect(statuses.sort()).toEqual([200, 202]);
    const customers = await h.t.pool.query(
      `select orders_count, total_spent::float as total_spent from customers
       where workspace_id = $1 and lower(email) = 'racer@example.com'`,
      [tenant.workspace.id],
    );
    expect(customers.rows).toEqual([{ orders_count: 8, total_spent: 360 }]);
    const outbox = await h.t.pool.query(
      'select count(*)::int as n from event_outbox where workspace_id = $1 and event_id = any($2::text[])',
      [tenant.workspace.id, events.map((e) => e.id)],
    );
    expect(outbox.rows[0].n).toBe(8);
  });

  it('accepts unknown event types as custom events', async () => {
    const res = await post(tenant.keys.ingest, '/v1/events', {
      id: 'custom_1',
      type: 'quiz.completed',
      customer: { email: 'quiz@example.com' },
      properties: { score: 7 },
    });
    expect(res.statusCode).toBe(202);
  });

  it('ingests a batch, reporting duplicates per event', async () => {
    const events = [orderEvent('cus_b', 10), orderEvent('cus_b', 20), orderEvent('cus_c', 30)];
    const res = await post(tenant.keys.ingest, '/v1/events/batch', { events: [...events, events[0]] });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 3, duplicates: 1 });
    const b = await getCustomerByExternalId(h.t.db, tenant.workspace.id, 'cus_b');
    expect(b).toMatchObject({ ordersCount: 2, totalSpent: 30 });
  });

  it('refuses a batch over 1000 events and a body over the limit', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({
      id: `x${i}`,
      type: 't',
      customer: { externalId: 'c' },
    }));
    const big = await post(tenant.keys.ingest, '/v1/events/batch', { events });
    expect(big.statusCode).toBe(400);
    expect(big.json().code).toBe('invalid_request');
    const huge = await post(tenant.keys.ingest, '/v1/events', {
      id: 'huge',
      type: 't',
      customer: { externalId: 'c' },
      properties: { blob: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('body_too_large');
  });

  it('answers 401 without or with a wrong key, 403 with the wrong scope', async () => {
    const event = orderEvent('cus_d', 5);
    const none = await h.app.inject({ method: 'POST', url: '/v1/events', payload: event });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('unauthenticated');
    const wrong = await post('hg_nope', '/v1/events', event);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_api_key');
    const scope = await post(tenant.keys.read, '/v1/events', event);
    expect(scope.statusCode).toBe(403);
    expect(scope.json().code).toBe('forbidden');
  });

  it("keeps an item's link and image for recommendations, and refuses one that is not a web address", async () => {
    const line = {
      sku: 'MUG-1',
      name: 'Mug',
      quantity: 1,
      price: 18,
      url: 'https://shop.example/mug',
      imageUrl: 'https://cdn.example/mug.jpg',
    };
    for (const who of ['cus_r1', 'cus_r2']) {
      const event = orderEvent(who, 30);
      const items =
        who === 'cus_r1' ? [line, { sku: 'TEA-1', quantity: 1 }] : [{ sku: 'TEA-1', quantity: 1 }];
      expect(
        (await post(tenant.keys.ingest, '/v1/events', { ...event, order: { ...event.order!, items } }))
          .statusCode,
      ).toBe(202);
    }
    const buyer = await getCustomerByExternalId(h.t.db, tenant.workspace.id, 'cus_r2');
    expect(await recommendProducts(h.t.db, tenant.workspace.id, { customerId: buyer!.id })).toEqual([
      { sku: 'MUG-1', title: 'Mug', price: 18, url: line.url, imageUrl: line.imageUrl },
    ]);
    const event = orderEvent('cus_r3', 5);
    const bad = await post(tenant.keys.ingest, '/v1/events', {
      ...event,
      order: { ...event.order!, items: [{ ...line, url: 'javascript:alert(1)' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'body.order.items.0.url' });
  });

  it('names the field at fault and answers 400 to malformed JSON', async () => {
    const bad = await post(tenant.keys.ingest, '/v1/events', {
      ...orderEvent('cus_e', 5),
      occurredAt: 'yesterday',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'body.occurredAt' });
    const malformed = await h.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${tenant.keys.ingest}`, 'content-type': 'application/json' },
      payload: '{"id": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_json');
  });
});
