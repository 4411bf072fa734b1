import { appendMessageStatus, reserveMessage, upsertRun } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint';
import { simpleGraph } from './graphs';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// Workspace A, holding every credential it can, can neither read nor change anything of workspace B.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const ids = {} as Record<string, string>;

const call = (app: FastifyInstance, key: string, method: string, url: string, payload?: unknown) =>
  app.inject(
    withKey(key, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );

beforeAll(async () => {
  h = await harness('api_isolation');
  a = await seedTenant(h.t.db, 'Shop A');
  b = await seedTenant(h.t.db, 'Shop B');
  const key = b.keys.all;
  const ev = orderEvent('b_customer', 120);
  await call(h.app, key, 'POST', '/v1/events', ev);
  const customers = (await call(h.app, key, 'GET', '/v1/customers')).json();
  ids.customer = customers[0].id;
  const journey = (
    await call(h.app, key, 'POST', '/v1/journeys', { name: 'B journey', graph: simpleGraph() })
  ).json();
  ids.journey = journey.id;
  expect((await call(h.app, key, 'POST', `/v1/journeys/${journey.id}/publish`, {})).statusCode).toBe(201);
  ids.segment = (
    await call(h.app, key, 'POST', '/v1/segments', {
      name: 'B seg',
      rule: { field: 'customer.stats.aov', op: 'gt', value: 1 },
    })
  ).json().id;
  ids.apiKey = (await call(h.app, key, 'GET', '/v1/api-keys')).json()[0].id;
  ids.secret = 'b-only';
  await call(h.app, key, 'POST', '/v1/workspace/secrets', { name: ids.secret, value: 'whsec_YS1zZWNyZXQ=' });
  const run = await upsertRun(h.t.db, b.workspace.id, {
    workflowId: `wf-${ids.journey}`,
    journeyId: ids.journey as string,
    version: 1,
    customerId: ids.customer as string,
    triggerEventId: ev.id,
  });
  ids.run = run.id;
  const { message } = await reserveMessage(h.t.db, b.workspace.id, {
    idempotencyKey: `wf-${ids.journey}:send`,
    customerId: ids.customer as string,
    channel: 'sms',
    provider: 'outbox',
    toAddress: '+15550100',
    runId: run.id,
    stepId: 'send',
    journeyId: ids.journey as string,
  });
  await appendMessageStatus(h.t.db, b.workspace.id, message.id, 'failed', { detail: 'test' });
  ids.message = message.id;
  ids.invitation = (
    await call(h.app, key, 'POST', '/v1/invitations', { email: 'b-invitee@example.com', role: 'viewer' })
  ).json().id;
});
afterAll(async () => h?.close());

/** Every route that names a resource, with B's ids filled in; A must get 404 and change nothing. */
const targeted = (): [string, string, unknown?][] => [
  ['GET', `/v1/journeys/${ids.journey}`],
  ['PATCH', `/v1/journeys/${ids.journey}`, { name: 'hacked' }],
  ['DELETE', `/v1/journeys/${ids.journey}`],
  ['POST', `/v1/journeys/${ids.journey}/validate`, {}],
  ['GET', `/v1/journeys/${ids.journey}/export`],
  ['POST', `/v1/journeys/${ids.journey}/publish`, {}],
  ['GET', `/v1/journeys/${ids.journey}/versions`],
  ['GET', `/v1/journeys/${ids.journey}/versions/1`],
  ['GET', `/v1/journeys/${ids.journey}/diff?from=1&to=1`],
  ['POST', `/v1/journeys/${ids.journey}/rollback`, { version: 1 }],
  ['POST', `/v1/journeys/${ids.journey}/pause`],
  ['POST', `/v1/journeys/${ids.journey}/resume`],
  ['POST', `/v1/journeys/${ids.journey}/archive`],
  ['POST', `/v1/journeys/${ids.journey}/discard-draft`],
  ['POST', `/v1/journeys/${ids.journey}/audience-estimate`, {}],
  ['GET', `/v1/segments/${ids.segment}`],
  ['PATCH', `/v1/segments/${ids.segment}`, { name: 'hacked' }],
  ['DELETE', `/v1/segments/${ids.segment}`],
  ['GET', `/v1/segments/${ids.segment}/preview`],
  ['GET', `/v1/segments/${ids.segment}/members/${ids.customer}`],
  ['GET', `/v1/customers/${ids.customer}`],
  ['GET', `/v1/customers/${ids.customer}/runs`],
  ['GET', `/v1/customers/${ids.customer}/orders`],
  ['GET', `/v1/customers/${ids.customer}/events`],
  ['PATCH', `/v1/customers/${ids.customer}/consent`, { email: 'unsubscribed', reason: 'x' }],
  ['GET', `/v1/runs/${ids.run}`],
  ['GET', `/v1/runs/${ids.run}/timeline`],
  ['POST', `/v1/runs/${ids.run}/cancel`, { reason: 'x' }],
  ['GET', `/v1/journeys/${ids.journey}/analytics`],
  ['GET', `/v1/messages/${ids.message}`],
  ['POST', `/v1/messages/${ids.message}/retry`, { reason: 'x' }],
  ['DELETE', `/v1/api-keys/${ids.apiKey}`],
  ['PATCH', `/v1/members/${b.viewer.id}`, { role: 'admin' }],
  ['DELETE', `/v1/members/${b.viewer.id}`],
  ['DELETE', `/v1/invitations/${ids.invitation}`],
  ['PUT', '/v1/workspace/secrets/b-only', { value: 'hacked' }],
  ['DELETE', '/v1/workspace/secrets/b-only'],
  [
    'POST',
    '/v1/test-send',
    { customerId: ids.customer, content: { channel: 'sms', text: 'Hi' }, to: '+15550100000' },
  ],
  // Signature-authenticated: B has no provider account of its own, so nothing can verify here.
  ['POST', `/webhooks/resend/${b.workspace.id}`, {}],
  ['POST', `/webhooks/twilio/${b.workspace.id}/status`, {}],
  ['POST', `/webhooks/twilio/${b.workspace.id}/inbound`, {}],
  ['POST', `/webhooks/shopify/${b.workspace.id}`, {}],
];

describe('workspace isolation', () => {
  it('covers every route with a path parameter', () => {
    const spec = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const withParams = Object.entries(spec.paths).flatMap(([path, ops]) =>
      path.includes('{') ? Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`) : [],
    );
    const covered = new Set(
      targeted().map(
        ([m, url]) =>
          `${m} ${url
            .split('?')[0]!
            .replace(/[0-9a-f-]{36}/g, '{id}')
            .replace(/\/versions\/1$/, '/versions/{version}')
            .replace(/^\/v1\/members\/\{id\}/, '/v1/members/{userId}')
            .replace(/members\/\{id\}/, 'members/{customerId}')
            .replace(/secrets\/b-only$/, 'secrets/{name}')
            .replace(/^\/webhooks\/(resend|twilio|shopify)\/\{id\}/, '/webhooks/$1/{workspaceId}')}`,
      ),
    );
    expect(withParams.filter((r) => !covered.has(r))).toEqual([]);
  });

  it("A gets 404 for each of B's resources and B's data does not change", async () => {
    const before = await fingerprint(h.t.db);
    for (const [method, url, payload] of targeted()) {
      const res = await call(h.app, a.keys.all, method, url, payload);
      expect([method, url, res.statusCode]).toEqual([method, url, 404]);
    }
    expect(await fingerprint(h.t.db)).toEqual(before);
  });

  it("A's lists and searches never show B's rows", async () => {
    for (const url of [
      '/v1/journeys',
      '/v1/segments',
      '/v1/customers',
      '/v1/customers?q=b_customer',
      '/v1/runs',
      `/v1/runs?customerId=${ids.customer}`,
      `/v1/runs?journeyId=${ids.journey}`,
      '/v1/api-keys',
      '/v1/audit',
      '/v1/workspace/channels',
      '/v1/workspace/secrets',
    ]) {
      const res = await call(h.app, a.keys.all, 'GET', url);
      expect(res.statusCode).toBe(200);
      const body = JSON.stringify(res.json());
      for (const id of Object.values(ids)) expect(body).not.toContain(id);
    }
    const preview = await call(h.app, a.keys.all, 'POST', '/v1/segments/preview', { rule: { all: [] } });
    expect(preview.json().count).toBe(0);
    const viaSegment = await call(h.app, a.keys.all, 'POST', '/v1/segments/preview', {
      rule: { segment: ids.segment },
    });
    expect(viaSegment.json().count).toBe(0);
  });

  it("an event sent with A's key with B's identifiers lands in A", async () => {
    const res = await call(h.app, a.keys.all, 'POST', '/v1/events', orderEvent('b_customer', 1));
    expect(res.statusCode).toBe(202);
    const bCustomer = (await call(h.app, b.keys.all, 'GET', `/v1/customers/${ids.customer}`)).json();
    expect(bCustomer.customer.ordersCount).toBe(1);
    expect(bCustomer.orders).toHaveLength(1);
  });

  it("a session of A's owner cannot pick B with the workspace header", async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: a.owner.email, password: 'correct horse', workspaceId: b.workspace.id },
    });
    expect(res.statusCode).toBe(403);
    const session = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: a.owner.email, password: 'correct horse' },
    });
    const cookie = `hg_session=${session.cookies.find((c) => c.name === 'hg_session')?.value}`;
    const other = await h.app.inject({
      method: 'GET',
      url: '/v1/journeys',
      headers: { cookie, 'x-workspace-id': b.workspace.id },
    });
    expect(other.statusCode).toBe(403);
  });
});
