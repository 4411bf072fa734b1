import type { Customer } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, testConfig } from '../channels/helpers';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// What templates may do, through the API: never read files, never hold the process (preview,
// test send, validate and publish share one Liquid configuration), and customer locales are
// BCP 47 tags.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let ada: Customer;
beforeAll(async () => {
  h = await harness('api_templates', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Templates');
  ada = await addCustomer(h.t.db, a.workspace.id);
});
afterAll(async () => h?.close());

const call = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  h.app.inject(withKey(key, { method, url, ...(payload ? { payload } : {}) }));
const preview = (content: object) =>
  call(a.keys.read, 'POST', '/v1/preview', { customerId: ada.id, content });
const email = (over: object) => ({ channel: 'email', subject: 'Hi', body: 'Hello', ...over });

const FILE_READS = [
  "{% include 'data/temporal/temporal.db' %}",
  "{% render 'package.json' %}",
  "{% layout 'README.md' %}",
  "{% if customer.email %}{% include 'data/postgres/pgdata/pg_hba.conf' %}{% endif %}",
];

describe('templates never read files', () => {
  it.each(FILE_READS)('preview of %s: 422 liquid.file_access on the field', async (tag) => {
    for (const [content, field] of [
      [email({ body: `Hi ${tag}` }), 'content.body'],
      [email({ subject: tag }), 'content.subject'],
      [{ channel: 'sms', text: tag }, 'content.text'],
      // Inside a block of a composer email: the block's own field is named.
      [
        email({ blocks: [{ type: 'divider' }, { type: 'text', text: `Hi ${tag}` }] }),
        'content.blocks.1.text',
      ],
    ] as const) {
      const res = await preview(content);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ code: 'liquid.file_access', field });
      expect(res.body).not.toContain('"name"'); // nothing of package.json came back
    }
  });

  it('test send refuses before anything is recorded', async () => {
    const res = await call(a.keys.write, 'POST', '/v1/test-send', {
      customerId: ada.id,
      content: email({ body: "{% include 'data/postgres/pgdata/PG_VERSION' %}" }),
      to: 'tester@example.com',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'liquid.file_access', field: 'content.body' });
    const { rowCount } = await h.t.pool.query('select 1 from messages where workspace_id = $1', [
      a.workspace.id,
    ]);
    expect(rowCount).toBe(0);
  });

  it('validate and publish name the node and field', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
      .node('mail', 'send_email', {
        subject: 'Your order',
        body: "Thanks! {% include 'data/postgres/pgdata/PG_VERSION' %}",
      })
      .edge('trigger', 'mail')
      .build();
    const j = (await call(a.keys.all, 'POST', '/v1/journeys', { name: 'Leaky', graph })).json();
    const validate = (await call(a.keys.all, 'POST', `/v1/journeys/${j.id}/validate`, {})).json();
    expect(validate.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'mail',
        field: 'body',
        code: 'liquid.file_access',
        severity: 'error',
      }),
    );
    const publish = await call(a.keys.all, 'POST', `/v1/journeys/${j.id}/publish`, {});
    expect(publish.statusCode).toBe(422);
    expect(publish.json().diagnostics).toContainEqual(
      expect.objectContaining({ nodeId: 'mail', field: 'body', code: 'liquid.file_access' }),
    );
  });
});

describe('templates never hold the process', () => {
  // Times a request while /health is asked for meanwhile.
  async function withHealth(content: object) {
    const started = performance.now();
    const slow = preview(content).then((res) => ({ res, ms: performance.now() - started }));
    await new Promise((r) => setTimeout(r, 20));
    const healthStarted = performance.now();
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    const healthMs = performance.now() - healthStarted;
    return { ...(await slow), health, healthMs };
  }

  it('refuses nested literal loops at once (the budget is known before rendering)', async () => {
    const { res, ms, health, healthMs } = await withHealth(
      email({ body: '{% for i in (1..2000) %}{% for k in (1..2000) %}{% endfor %}{% endfor %}' }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'liquid.too_expensive', field: 'content.body' });
    expect(health.statusCode).toBe(200);
    // Before the limits this preview took over 3 s and held /health for as long.
    expect(ms).toBeLessThan(1500);
    expect(healthMs).toBeLessThan(1000);
  });

  it('stops a loop only the render can measure at the time limit', async () => {
    const spin = '{% assign n = 2000 %}{% for i in (1..n) %}{% for k in (1..n) %}{% endfor %}{% endfor %}';
    const { res, ms, health, healthMs } = await withHealth(email({ body: spin }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'liquid.too_expensive', field: 'content.body' });
    expect(res.json().message).toMatch(/longer than 200 ms/);
    expect(health.statusCode).toBe(200);
    expect(ms).toBeLessThan(1500);
    expect(healthMs).toBeLessThan(1000);
  });

  it('still shows ordinary template errors as a rendering problem (200, ok: false)', async () => {
    const res = await preview(email({ body: '{{ order.total | moneyy }}' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, field: 'body' });
  });
});

describe('customer locale', () => {
  it('is a BCP 47 tag at ingest: 400 naming customer.locale otherwise', async () => {
    for (const locale of ['xx-!!', 'en_US', 'a'.repeat(30)]) {
      const event = orderEvent('cus_locale', 10);
      const res = await call(a.keys.ingest, 'POST', '/v1/events', {
        ...event,
        customer: { ...event.customer, locale },
      });
      expect(res.statusCode, locale).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', field: 'body.customer.locale' });
    }
    const event = orderEvent('cus_locale', 10);
    const ok = await call(a.keys.ingest, 'POST', '/v1/events', {
      ...event,
      customer: { ...event.customer, locale: 'pt-BR' },
    });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
  });
});

describe('step outputs in a preview', () => {
  it('renders sample outputs of earlier steps, and a missing one as its default', async () => {
    const body = 'Code {{ steps.discount.code }}; tier {{ steps.crm.tier | default: "none" }}';
    const res = await call(a.keys.read, 'POST', '/v1/preview', {
      customerId: ada.id,
      content: email({ body }),
      steps: { discount: { code: 'THANKS-SAMPLE1', percentOff: 15 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().text).toContain('Code THANKS-SAMPLE1; tier none');
  });

  it('refuses sample outputs under a name no step can have, or too many of them', async () => {
    const bad = await call(a.keys.read, 'POST', '/v1/preview', {
      customerId: ada.id,
      content: email({}),
      steps: { 'Not A Name': { code: 'x' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'body.steps.Not A Name' });
    const huge = await call(a.keys.read, 'POST', '/v1/preview', {
      customerId: ada.id,
      content: email({}),
      steps: { discount: { code: 'x'.repeat(70_000) } },
    });
    expect(huge.statusCode).toBe(400);
  });
});
