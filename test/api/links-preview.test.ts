import type { Customer } from '@hourglass/db';
import { upsertOrder } from '@hourglass/db';
import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, testConfig } from '../channels/helpers';
import { type Harness, harness, seedTenant, withKey } from './harness';

// The brand's link templates (review, reorder, order status) behind order.reviewUrl, order.reorderUrl
// and order.statusUrl, and the preview's warnings for variables that render empty.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let ada: Customer;
let orderId = '';
beforeAll(async () => {
  h = await harness('api_links_preview', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Links shop');
  ada = await addCustomer(h.t.db, a.workspace.id, { externalId: 'cus/42' });
  const { order } = await upsertOrder(h.t.db, a.workspace.id, {
    externalId: '1001',
    customerId: ada.id,
    total: 30,
    items: [{ sku: 'BEANS 1kg', name: 'Beans', quantity: 1 }],
  });
  orderId = order.id;
});
afterAll(async () => h?.close());

const call = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  h.app.inject(withKey(key, { method, url, ...(payload ? { payload } : {}) }));
const patchLinks = (links: object) => call(a.keys.admin, 'PATCH', '/v1/workspace/settings', { links });

/** The text of a seed template's node, as the marketer gets it. */
const seedText = (templateId: string, nodeId: string, key: 'text' | 'body') => {
  const node = templates.find((t) => t.id === templateId)?.graph.nodes.find((n) => n.id === nodeId);
  const text = node?.data.config[key];
  if (typeof text !== 'string') throw new Error(`no ${key} on ${templateId}/${nodeId}`);
  return text;
};
const nudge = { channel: 'sms', text: seedText('review_request', 'nudge', 'text'), transactional: true };
const preview = (content: object, withOrder = true) =>
  call(a.keys.read, 'POST', '/v1/preview', {
    customerId: ada.id,
    ...(withOrder ? { orderId } : {}),
    content,
  });

describe('link templates and empty-variable warnings', () => {
  it('warns that the review SMS renders order.reviewUrl empty until a review link is set', async () => {
    const res = await preview(nudge);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, text: 'Got a minute? Tell us what you think:' });
    expect(res.json().warnings).toEqual([
      {
        variable: 'order.reviewUrl',
        fields: ['text'],
        message: expect.stringMatching(/renders empty.*Settings › Links/),
      },
    ]);
  });

  it('resolves review, reorder and status links from the settings, URL-encoding each placeholder', async () => {
    const saved = await patchLinks({
      reviewUrl: 'https://shop.example/review/{order.number}?c={customer.externalId}',
      reorderUrl: 'https://shop.example/cart/add?sku={sku}',
      statusUrl: 'https://shop.example/orders/{order.id}',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().links).toMatchObject({ reorderUrl: 'https://shop.example/cart/add?sku={sku}' });
    expect((await call(a.keys.read, 'GET', '/v1/workspace/settings')).json().links.reviewUrl).toBe(
      'https://shop.example/review/{order.number}?c={customer.externalId}',
    );

    const sms = (await preview(nudge)).json();
    expect(sms.text).toBe(
      'Got a minute? Tell us what you think: https://shop.example/review/1001?c=cus%2F42',
    );
    expect(sms.warnings).toEqual([]);
    const reorder = seedText('replenishment', 'sms', 'text');
    const email = (
      await preview({
        channel: 'email',
        subject: 'Status: {{ order.statusUrl }}',
        body: `${reorder} <a href="{{ order.reorderUrl }}">again</a>`,
      })
    ).json();
    expect(email.subject).toBe(`Status: https://shop.example/orders/${orderId}`);
    expect(email.text).toContain('Reorder: https://shop.example/cart/add?sku=BEANS%201kg');
    expect(email.html).toContain('href="https://shop.example/cart/add?sku=BEANS%201kg"');
    expect(email.warnings).toEqual([]);

    // A link whose value is missing for this order is left out, and the preview says so.
    await patchLinks({ statusUrl: 'https://shop.example/orders/{productId}' });
    const missing = (
      await preview({ channel: 'email', subject: 'S {{ order.statusUrl }}', body: 'x' })
    ).json();
    expect(missing.subject).toBe('S');
    expect(missing.warnings.map((w: { variable: string }) => w.variable)).toEqual(['order.statusUrl']);
    // null clears a link; the others stay.
    const cleared = await patchLinks({ statusUrl: null });
    expect(cleared.json().links).toMatchObject({ statusUrl: null, reorderUrl: expect.any(String) });
  });

  it('refuses hostile or broken link templates with 400 naming the field, keeping the stored ones', async () => {
    const before = (await call(a.keys.read, 'GET', '/v1/workspace/settings')).json().links;
    const cases: Array<[string, string]> = [
      ['reviewUrl', 'javascript:alert(document.cookie)'],
      ['reviewUrl', 'data:text/html,<script>alert(1)</script>'],
      ['reorderUrl', 'https://shop.example/{{ order.number | append: "x" }}'],
      ['reorderUrl', 'https://shop.example/{order.secretToken}'],
      ['statusUrl', 'https://{customer.id}.attacker.example/'],
      ['statusUrl', 'https://shop.example@attacker.example/'],
      ['statusUrl', '//attacker.example/'],
      ['reviewUrl', `https://shop.example/${'x'.repeat(3000)}`],
      ['reviewUrl', ''],
    ];
    for (const [field, value] of cases) {
      const res = await patchLinks({ [field]: value });
      expect(res.statusCode, value.slice(0, 60)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', field: `body.links.${field}` });
    }
    expect((await patchLinks({ reviewUrl: 42 })).json()).toMatchObject({ field: 'body.links.reviewUrl' });
    expect((await call(a.keys.read, 'GET', '/v1/workspace/settings')).json().links).toEqual(before);
  });

  it('warns per variable that renders empty, not where a default fills it or an if tests it', async () => {
    const res = await preview({
      channel: 'email',
      subject: 'Hi {{ customer.lastName }}',
      body: [
        'Hi {{ customer.firstName | default: "there" }}, {{ customer.attributes.nickname }}',
        '{% if customer.attributes.vip %}VIP{% endif %}',
        '{% assign nick = customer.attributes.nickname %}{{ nick }} {{ customer.lastName }}',
        '{% for item in order.items %}{{ item.name }}{% endfor %}',
      ].join('\n'),
    });
    expect(
      res.json().warnings.map((w: { variable: string; fields: string[] }) => [w.variable, w.fields]),
    ).toEqual([
      ['customer.lastName', ['subject', 'body']],
      ['customer.attributes.nickname', ['body']],
      ['nick', ['body']],
    ]);
    const noOrder = (await preview({ channel: 'sms', text: 'Order {{ order.number }}' }, false)).json();
    expect(noOrder.warnings).toEqual([
      expect.objectContaining({ variable: 'order.number', message: expect.stringContaining('no order') }),
    ]);
  });
});
