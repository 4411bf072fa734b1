import type { Customer } from '@hourglass/db';
import { upsertOrder } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, testConfig } from '../channels/helpers';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Emails built from blocks: the preview compiles them (MJML) and renders their Liquid for a real
// customer; hostile block documents are refused with a stable code and the field at fault.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let ada: Customer;
let orderId = '';
beforeAll(async () => {
  h = await harness('api_email_blocks', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Blocks shop');
  ada = await addCustomer(h.t.db, a.workspace.id, { firstName: 'Ada', externalId: 'cus/1' });
  const { order } = await upsertOrder(h.t.db, a.workspace.id, {
    externalId: '2001',
    customerId: ada.id,
    total: 30,
    items: [{ sku: 'TEA', name: 'Oolong tea', quantity: 3, price: 10 }],
  });
  orderId = order.id;
});
afterAll(async () => h?.close());

const call = (key: string, method: 'POST' | 'PATCH', url: string, payload: object) =>
  h.app.inject(withKey(key, { method, url, payload }));
const preview = (blocks: unknown[]) =>
  call(a.keys.read, 'POST', '/v1/preview', {
    customerId: ada.id,
    orderId,
    content: { channel: 'email', subject: 'Thanks {{ customer.firstName }}', body: '', blocks },
  });
const email = [
  { type: 'heading', text: 'Thank you, {{ customer.firstName }}!', align: 'center' },
  { type: 'order_items', title: 'Order {{ order.number }}' },
  {
    type: 'columns',
    left: [{ type: 'text', text: 'Questions? Just reply.' }],
    right: [
      { type: 'button', label: 'Shop again', href: 'https://shop.example/?c={{ customer.externalId }}' },
    ],
  },
  { type: 'footer', text: '' },
];

describe('block emails', () => {
  it('preview as responsive HTML with the Liquid rendered for the customer', async () => {
    const res = await preview(email);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ ok: true, channel: 'email', subject: 'Thanks Ada' });
    expect(out.html).toContain('Thank you, Ada!');
    expect(out.html).toContain('Order 2001');
    expect(out.html).toContain('Oolong tea × 3');
    expect(out.html).toContain('href="https://shop.example/?c=cus/1"');
    // MJML's responsive layout: media queries and a two-column section that stacks on phones.
    expect(out.html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(out.html).toContain('mj-column-per-50');
    expect(out.html).toContain('name="viewport"');
    expect(out.html).not.toMatch(/\{\{|\{%|⟪/);
    expect(out.text).toContain('Oolong tea × 3');
  });

  it('refuses hostile block documents on preview with a code and the field', async () => {
    const cases: [unknown[], number, string, string][] = [
      [
        [{ type: 'button', label: 'x', href: 'javascript:alert(1)' }],
        400,
        'email.unsafe_url',
        'body.content.blocks.0.href',
      ],
      [
        [{ type: 'image', src: 'data:image/png;base64,AAAA' }],
        400,
        'email.unsafe_url',
        'body.content.blocks.0.src',
      ],
      [
        Array.from({ length: 41 }, () => ({ type: 'divider' })),
        400,
        'email.too_many_blocks',
        'body.content.blocks',
      ],
      [
        Array.from({ length: 30 }, () => ({ type: 'text', text: 'x'.repeat(9000) })),
        400,
        'email.too_big',
        'body.content.blocks',
      ],
      [
        Array.from({ length: 201 }, () => ({ type: 'spacer' })),
        400,
        'invalid_request',
        'body.content.blocks',
      ],
      [[{ type: 'text', text: 'x'.repeat(10_001) }], 400, 'invalid_request', 'body.content.blocks.0.text'],
      [
        [{ type: 'columns', left: [{ type: 'columns' }] }],
        400,
        'invalid_request',
        'body.content.blocks.0.left.0.type',
      ],
      [[{ type: 'marquee' }], 400, 'invalid_request', 'body.content.blocks.0.type'],
    ];
    for (const [blocks, status, code, field] of cases) {
      const res = await preview(blocks);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ code, field });
    }
  });

  it('refuses to publish a journey whose block email has an unsafe link, naming the field', async () => {
    const graph = graphBuilder()
      .node('t', 'trigger', { event: 'order.placed' })
      .node('mail', 'send_email', {
        subject: 'Hi',
        mode: 'blocks',
        blocks: [{ type: 'image', src: 'https://cdn.example/a.png', href: 'javascript:alert(1)' }],
      })
      .node('x', 'exit')
      .edge('t', 'mail')
      .edge('mail', 'x')
      .build();
    const created = await call(a.keys.all, 'POST', '/v1/journeys', { name: 'Blocks', graph });
    expect(created.statusCode, created.body).toBe(201);
    const res = await call(a.keys.all, 'POST', `/v1/journeys/${created.json().id}/publish`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('journey_invalid');
    expect(res.json().diagnostics).toContainEqual(
      expect.objectContaining({ nodeId: 'mail', field: 'blocks.0.href', code: 'email.unsafe_url' }),
    );
  });
});
