import { defaultWorkspaceSettings } from '@hourglass/db';
import { type EmailBlocks, SendEmailConfig } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { blockBrand, blocksToMjml, compileBlocks, safeUrls } from './blocks';
import { type RenderInput, renderEmail, renderPreview } from './index';

const brand = blockBrand(
  { name: 'Acme', color: '#ff0000', logoUrl: null, address: '1 Main St', supportEmail: '' },
  'W',
);
const blocks = (raw: unknown[]): EmailBlocks => SendEmailConfig.parse({ mode: 'blocks', blocks: raw }).blocks;

const input = (over: Partial<RenderInput> = {}): RenderInput => ({
  customer: { id: 'c1', email: 'ada@example.com', firstName: 'Ada <script>', timeZone: 'UTC' },
  order: {
    number: '1001',
    currency: 'USD',
    items: [{ name: 'Mug & saucer', price: 12, quantity: 2, imageUrl: 'https://cdn.example/mug.png' }],
  },
  trigger: null,
  workspace: {
    id: 'w1',
    name: 'Acme',
    settings: {
      ...defaultWorkspaceSettings(),
      brand: {
        name: 'Acme',
        color: '#ff0000',
        logoUrl: 'https://cdn.example/logo.png',
        address: '1 Main St',
        supportEmail: '',
      },
    },
  },
  unsubscribeUrl: 'https://hg.example/unsubscribe?token=abc',
  ...over,
});

describe('blocks to MJML', () => {
  it('escapes what the author typed and sets Liquid aside untouched', () => {
    const { mjml, tags } = blocksToMjml(
      blocks([
        {
          type: 'heading',
          text: '<mj-include path="/etc/passwd" /> & "Hi" {{ customer.firstName | default: "you" }}',
        },
        { type: 'text', text: 'a ⟪0⟫ b\nnext line' },
      ]),
      brand,
    );
    expect(mjml).not.toContain('<mj-include');
    expect(mjml).toContain('&lt;mj-include path=&quot;/etc/passwd&quot; /&gt; &amp; &quot;Hi&quot;');
    // Typed token brackets cannot forge a token; newlines become breaks.
    expect(mjml).toContain('a &#10218;0&#10219; b<br />next line');
    expect(tags).toContain('{{ customer.firstName | default: "you" }}');
  });

  it('compiles two columns that stack on narrow screens, and keeps Liquid in links', async () => {
    const html = await compileBlocks(
      blocks([
        {
          type: 'columns',
          left: [{ type: 'text', text: 'Left side' }],
          right: [{ type: 'button', label: 'Track', href: '{{ order.statusUrl }}' }],
        },
      ]),
      brand,
    );
    expect(html).toContain('mj-column-per-50');
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(html).toContain('href="{{ order.statusUrl }}"');
    expect(html).toContain('Left side');
    expect(html).not.toMatch(/⟪\d+⟫/);
  });

  it('compiles a document once (the cache answers the same promise)', () => {
    const doc = blocks([{ type: 'text', text: 'Cached' }]);
    expect(compileBlocks(doc, brand)).toBe(compileBlocks(structuredClone(doc), brand));
  });
});

describe('block emails', () => {
  it('render Liquid into the MJML layout with customer data escaped', async () => {
    const email = await renderEmail(
      {
        subject: 'Thanks {{ customer.firstName }}',
        preheader: 'Order {{ order.number }}',
        body: '',
        blocks: blocks([
          { type: 'heading', text: 'Hi {{ customer.firstName }}' },
          { type: 'order_items', title: 'Your order' },
          { type: 'footer', text: 'Questions? Reply to this email.' },
        ]),
      },
      input(),
    );
    expect(email.html).toContain('Hi Ada &lt;script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Mug &amp; saucer × 2');
    expect(email.html).toContain('$12.00');
    expect(email.html).toContain('src="https://cdn.example/mug.png"');
    expect(email.html).toContain('src="https://cdn.example/logo.png"');
    expect(email.html).toContain('<title>Thanks Ada &lt;script&gt;</title>');
    expect(email.html).toContain('Order 1001</div>');
    expect(email.html).toContain('href="https://hg.example/unsubscribe?token=abc"');
    expect(email.text).toContain('Mug & saucer × 2');
    expect(email.text).toContain('Unsubscribe (https://hg.example/unsubscribe?token=abc)');
    expect(email.text).not.toContain('Order 1001'); // the hidden preheader is not body text
  });

  it('drop a link that Liquid rendered to something other than http(s)', async () => {
    const email = await renderEmail(
      {
        subject: 's',
        preheader: '',
        body: '',
        blocks: blocks([{ type: 'button', label: 'Go', href: '{{ customer.attributes.link }}' }]),
      },
      input({
        customer: { id: 'c1', email: 'a@example.com', attributes: { link: ' java\tscript:alert(1)' } },
      }),
    );
    expect(email.html).not.toMatch(/script:alert/);
    expect(email.html).toContain('href="#"');
  });

  it('list a step’s products and render nothing when the step has none', async () => {
    const doc = blocks([{ type: 'products', title: 'You may like', step: 'recs', limit: 1 }]);
    const products = [
      { title: 'Tea', sku: 't', url: 'https://shop.example/tea', imageUrl: null, price: 5 },
      { title: 'Cup', sku: 'c', url: null, imageUrl: null, price: null },
    ];
    const withProducts = await renderEmail(
      { subject: 's', preheader: '', body: '', blocks: doc },
      input({ steps: { recs: { products, count: 2 } } }),
    );
    expect(withProducts.html).toContain('href="https://shop.example/tea"');
    expect(withProducts.html).not.toContain('Cup');
    const without = await renderEmail({ subject: 's', preheader: '', body: '', blocks: doc }, input());
    expect(without.html).toContain('You may like');
    expect(without.html).not.toContain('Tea');
  });

  it('are refused at render time when a link is unsafe, as the preview shows', async () => {
    const out = await renderPreview(
      {
        channel: 'email',
        subject: 's',
        preheader: '',
        body: '',
        blocks: blocks([{ type: 'image', src: 'javascript:alert(1)' }]),
      },
      input(),
    );
    expect(out).toMatchObject({ ok: false, field: 'blocks.0.src' });
  });
});

describe('safeUrls', () => {
  it('keeps http(s), mailto and anchors and empties every other scheme, however encoded', () => {
    expect(safeUrls('<a href="https://a.example/?x=1&amp;y=2">')).toBe(
      '<a href="https://a.example/?x=1&amp;y=2">',
    );
    expect(safeUrls('<a href="mailto:a@example.com">')).toBe('<a href="mailto:a@example.com">');
    expect(safeUrls('<a href="javascript&colon;alert(1)">')).toBe('<a href="#">');
    expect(safeUrls('<a href="&#106;avascript:alert(1)">')).toBe('<a href="#">');
    expect(safeUrls('<img src="data:text/html,x">')).toBe('<img src="">');
  });
});
