import { defaultWorkspaceSettings } from '@hourglass/db';
import { describe, expect, it } from 'vitest';
import { liquidFor } from './engine';
import { RenderError, type RenderInput, renderEmail, renderPreview, renderSms, smsSegments } from './index';

const input = (over: Partial<RenderInput> = {}): RenderInput => ({
  customer: { id: 'c1', email: 'ada@example.com', firstName: 'Ada', timeZone: 'Asia/Tokyo' },
  order: {
    number: '1001',
    total: 1234.5,
    currency: 'EUR',
    placedAt: '2025-03-01T20:30:00Z',
    items: [{ title: 'Mug', price: 12 }],
  },
  trigger: { type: 'order.placed', properties: { trackingUrl: 'https://t.example/1' } },
  workspace: {
    id: 'w1',
    name: 'Acme',
    settings: {
      ...defaultWorkspaceSettings(),
      brand: { name: 'Acme', color: '#ff0000', logoUrl: null, address: '1 Main St', supportEmail: '' },
    },
  },
  unsubscribeUrl: 'https://hg.example/unsubscribe?token=abc',
  ...over,
});

describe('renderEmail', () => {
  it('formats money in the order currency and dates in the customer zone', async () => {
    const email = await renderEmail(
      {
        subject: 'Order {{ order.number }} for {{ order.total | money }}',
        preheader: 'Placed {{ order.placedAt | local_date: "long" }}',
        body: 'Placed at {{ order.placedAt | date: "%Y-%m-%d %H:%M" }}; mug {{ order.items[0].price | money }}; in USD {{ 5 | money: "USD" }}',
      },
      input(),
    );
    expect(email.subject).toBe('Order 1001 for €1,234.50');
    // 20:30 UTC on 1 March is 05:30 on 2 March in Tokyo.
    expect(email.preheader).toBe('Placed March 2, 2025');
    expect(email.html).toContain('Placed at 2025-03-02 05:30; mug €12.00; in USD $5.00');
  });

  it('answers an order line by name or title, whichever the shop sent', async () => {
    const order = {
      number: '1',
      total: 5,
      currency: 'USD',
      items: [{ name: 'Organic tee' }, { title: 'Cap' }],
    };
    const email = await renderEmail(
      {
        subject: '{{ order.items[0].title }} / {{ order.items[1].name }}',
        preheader: '',
        body: 'x',
      },
      input({ order }),
    );
    expect(email.subject).toBe('Organic tee / Cap');
  });

  it('wraps the body in the brand layout with preheader, footer and a plain-text part', async () => {
    const email = await renderEmail(
      {
        subject: 'Hi',
        preheader: 'Sneak peek',
        body: 'Hello {{ customer | first_name }}!\n\n<b>{{ customer.lastName | default: "friend" }}</b>',
      },
      input({ customer: { id: 'c1', firstName: null } }),
    );
    expect(email.html).toContain('Sneak peek');
    expect(email.html).toContain('#ff0000');
    expect(email.html).toContain('https://hg.example/unsubscribe?token=abc');
    expect(email.html).toContain('Hello there!');
    expect(email.text).toContain('Hello there!');
    expect(email.text).toContain('Unsubscribe: https://hg.example/unsubscribe?token=abc');
    expect(email.text).not.toContain('<');
  });

  it('escapes customer data in HTML', async () => {
    const email = await renderEmail(
      { subject: 'x', preheader: '', body: '<p>{{ customer.firstName }}</p>' },
      input({ customer: { id: 'c1', firstName: '<script>x</script>' } }),
    );
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).not.toContain('<script>x');
  });

  it('throws RenderError on an unknown variable or filter, never a blank message', async () => {
    await expect(
      renderEmail({ subject: 'Hi {{ customer.nickname }}', preheader: '', body: 'x' }, input()),
    ).rejects.toThrow(RenderError);
    await expect(
      renderEmail({ subject: 'x', preheader: '', body: '{{ order.total | moneyy }}' }, input()),
    ).rejects.toMatchObject({
      field: 'body',
    });
    await expect(renderEmail({ subject: 'x', preheader: '', body: '{% if %}' }, input())).rejects.toThrow(
      RenderError,
    );
  });

  it('lets if-tags test missing attributes', async () => {
    const email = await renderEmail(
      { subject: '{% if customer.attributes.vip %}VIP{% else %}Hi{% endif %}', preheader: '', body: 'x' },
      input(),
    );
    expect(email.subject).toBe('Hi');
  });
});

describe('renderSms and segments', () => {
  it('counts GSM-7 texts in 160 / 153 septet segments, extension characters as two', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('switches to UCS-2 (70 / 67) for other characters and names them', () => {
    expect(smsSegments(`${'a'.repeat(69)}’`)).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
      nonGsmCharacters: ['’'],
    });
    expect(smsSegments(`${'a'.repeat(70)}’`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    // An emoji is two UTF-16 code units.
    expect(smsSegments('🎉')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('renders SMS with an opt-out footer for marketing', async () => {
    const sms = await renderSms(
      { text: 'Hi {{ customer.firstName }}, {{ trigger.properties.trackingUrl }}' },
      input(),
      { marketing: true },
    );
    expect(sms.text).toBe('Hi Ada, https://t.example/1\nReply STOP to opt out.');
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const tx = await renderSms({ text: 'Shipped' }, input(), { marketing: false });
    expect(tx.text).toBe('Shipped');
  });
});

describe('renderPreview', () => {
  it('returns the rendering or the template error', async () => {
    const ok = await renderPreview(
      { channel: 'sms', text: 'Hi {{ customer.firstName }}', transactional: true },
      input(),
    );
    expect(ok).toMatchObject({ ok: true, channel: 'sms', sms: { text: 'Hi Ada', segments: 1 } });
    const bad = await renderPreview(
      { channel: 'email', subject: '{{ nope }}', preheader: '', body: '' },
      input(),
    );
    expect(bad).toMatchObject({ ok: false, field: 'subject' });
  });
});

describe('what templates may do', () => {
  it('refuses file access on the field at fault, in every channel and in previews', async () => {
    const read = "{% include 'data/postgres/pgdata/PG_VERSION' %}";
    await expect(renderEmail({ subject: 'x', preheader: '', body: read }, input())).rejects.toMatchObject({
      code: 'liquid.file_access',
      field: 'body',
    });
    await expect(
      renderSms({ text: `{% render 'package.json' %}` }, input(), { marketing: false }),
    ).rejects.toMatchObject({ code: 'liquid.file_access', field: 'text' });
    const preview = await renderPreview(
      { channel: 'email', subject: read, preheader: '', body: 'x' },
      input(),
    );
    expect(preview).toMatchObject({ ok: false, field: 'subject', code: 'liquid.file_access' });
  });

  it('fails a send at the render limit instead of spinning', async () => {
    const started = performance.now();
    const spin = '{% assign n = 3000 %}{% for i in (1..n) %}{% for k in (1..n) %}{% endfor %}{% endfor %}';
    await expect(renderEmail({ subject: 'x', preheader: '', body: spin }, input())).rejects.toMatchObject({
      code: 'liquid.too_expensive',
      field: 'body',
    });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('serves every locale from the same two engines, each render in its own locale', async () => {
    const engines = [liquidFor(false), liquidFor(true)];
    const body = '{{ order.total | money }}';
    // 400 distinct locales (private-use subtags keep each tag distinct), rendered concurrently.
    const renders = Array.from({ length: 400 }, (_, i) => {
      const locale = `${i % 2 ? 'de-DE' : 'en-US'}-x-n${i}`;
      return renderSms({ text: body }, input({ customer: { ...input().customer, locale } }), {
        marketing: false,
      });
    });
    const texts = (await Promise.all(renders)).map((s) => s.text);
    texts.forEach((text, i) => {
      expect(text).toBe(i % 2 ? '1.234,50\u00a0€' : '€1,234.50');
    });
    expect(liquidFor(false)).toBe(engines[0]);
    expect(liquidFor(true)).toBe(engines[1]);
    // The shared engine's own options never take a customer's locale.
    expect(liquidFor(false).options.locale).toBe(engines[0]!.options.locale);
  });

  it('renders a stored locale Intl rejects as en-US', async () => {
    const sms = await renderSms(
      { text: '{{ order.total | money }}' },
      input({ customer: { ...input().customer, locale: 'xx-!!' } }),
      { marketing: false },
    );
    expect(sms.text).toBe('€1,234.50');
  });
});
