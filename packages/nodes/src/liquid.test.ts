import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  createLiquid,
  LIQUID_LIMITS,
  renderTemplate,
  safeLocale,
  TemplateRefused,
} from './liquid';

const codes = (source: string) => checkTemplate(source, 'body').map((d) => `${d.code}@${d.field}`);
const US = { timeZone: 'UTC', locale: 'en-US', currency: 'USD' };

describe('templates never touch the file system', () => {
  it.each([
    "{% include 'data/temporal/temporal.db' %}",
    "{% render 'package.json' %}",
    "{% layout 'README.md' %}",
    '{% include customer.attributes.path %}',
    "{% if customer.email %}<p>{% for i in (1..2) %}{% include 'data/postgres/pgdata/PG_VERSION' %}{% endfor %}</p>{% endif %}",
    "{% liquid\n  include 'package.json'\n%}",
  ])('%s is a file_access diagnostic on the field', (source) => {
    const ds = checkTemplate(source, 'body');
    expect(ds).toEqual([expect.objectContaining({ code: 'liquid.file_access', field: 'body' })]);
    expect(ds[0]!.message).toMatch(/cannot read files/);
  });

  it('refuses at render too, and the engine has no file system to fall back on', async () => {
    const engine = createLiquid();
    await expect(renderTemplate(engine, "{% render 'package.json' %}", {}, US)).rejects.toMatchObject({
      code: 'liquid.file_access',
    });
    // Even the file APIs a template cannot reach find nothing (the process folder has package.json).
    await expect(engine.renderFile('package.json')).rejects.toThrow();
    await expect(engine.parseFile('package.json')).rejects.toThrow();
    await expect(engine.options.fs.readFile('package.json')).rejects.toBeInstanceOf(TemplateRefused);
    expect(() => engine.options.fs.readFileSync('package.json')).toThrow(/cannot read files/);
  });
});

describe('resource limits', () => {
  it('refuses nested literal loops past the budget at compile time', () => {
    expect(codes('{% for i in (1..2000) %}{% for k in (1..2000) %}{% endfor %}{% endfor %}')).toEqual([
      'liquid.too_expensive@body',
    ]);
    // Nesting through other blocks and tablerow still multiplies.
    expect(
      codes(
        '{% for i in (1..200) %}{% if i %}{% tablerow k in (1..200) %}{% endtablerow %}{% endif %}{% endfor %}',
      ),
    ).toEqual(['liquid.too_expensive@body']);
    // Sibling loops add up.
    const sibling = '{% for i in (1..4000) %}{% endfor %}';
    expect(codes(sibling.repeat(2))).toEqual([]);
    expect(codes(sibling.repeat(3))).toEqual(['liquid.too_expensive@body']);
  });

  it('lets real templates through: small ranges, limit:, data loops, else branches', () => {
    expect(codes('{% for i in (1..5) %}★{% endfor %}')).toEqual([]);
    expect(
      codes('{% for i in (1..100000) limit: 50 %}{% for k in (1..100) %}{% endfor %}{% endfor %}'),
    ).toEqual([]);
    expect(codes('{% for item in order.items %}{% for k in (1..100) %}{% endfor %}{% endfor %}')).toEqual([]);
    expect(
      codes('{% for i in (1..100) %}{% else %}{% for k in (1..9000) %}{% endfor %}{% endfor %}'),
    ).toEqual([]);
  });

  it('refuses a template longer than the parse limit', () => {
    const long = `{{ customer.email }}${'x'.repeat(LIQUID_LIMITS.parseLimit)}`;
    expect(codes(long)).toEqual(['liquid.too_long@body']);
  });

  it('stops a loop the static check cannot see at the render time limit', async () => {
    const spin = '{% assign n = 3000 %}{% for i in (1..n) %}{% for k in (1..n) %}{% endfor %}{% endfor %}';
    expect(codes(spin)).toEqual([]);
    const started = performance.now();
    await expect(renderTemplate(createLiquid(), spin, {}, US)).rejects.toMatchObject({
      code: 'liquid.too_expensive',
      message: expect.stringMatching(/longer than 200 ms/),
    });
    // 200 ms of budget; the bound leaves room for a busy machine.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops a render past the memory limit', async () => {
    const hog = '{% assign n = 5000000 %}{% assign all = (1..n) | join: "," %}{{ all | size }}';
    await expect(renderTemplate(createLiquid(), hog, {}, US)).rejects.toMatchObject({
      code: 'liquid.too_expensive',
      message: expect.stringMatching(/memory/),
    });
  });
});

describe('filters and compile checks share the send engine', () => {
  it('an unknown filter is a compile diagnostic, our filters are known', () => {
    expect(codes('{{ order.total | monney }}')).toEqual(['liquid.syntax@body']);
    expect(
      codes('{{ order.total | money }} {{ order.placedAt | local_date }} {{ customer | first_name }}'),
    ).toEqual([]);
  });

  it('reads zone, locale and currency from each render', async () => {
    const engine = createLiquid();
    const src = '{{ 1234.5 | money }} {{ "2025-03-01T20:30:00Z" | date: "%Y-%m-%d %H:%M" }}';
    const [de, jp] = await Promise.all([
      renderTemplate(engine, src, {}, { timeZone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' }),
      renderTemplate(engine, src, {}, { timeZone: 'Asia/Tokyo', locale: 'en-US', currency: 'JPY' }),
    ]);
    expect(de).toBe('1.234,50\u00a0€ 2025-03-01 21:30');
    expect(jp).toBe('¥1,235 2025-03-02 05:30');
  });
});

describe('safeLocale', () => {
  it('canonicalises BCP 47 tags and falls back to en-US for anything else', () => {
    expect(safeLocale('de-de')).toBe('de-DE');
    expect(safeLocale('pt-BR')).toBe('pt-BR');
    for (const bad of ['xx-!!', 'en_US', '', null, undefined, 'a'.repeat(50)]) {
      expect(safeLocale(bad)).toBe('en-US');
    }
  });
});

describe('stray closing braces', () => {
  it('warns when a tag ends before its filter (the filter would show as text)', () => {
    const d = checkTemplate('Hi {{ customer.firstName }} | default: "friend" }}!', 'subject');
    expect(d).toEqual([
      expect.objectContaining({ field: 'subject', code: 'liquid.stray_braces', severity: 'warning' }),
    ]);
    expect(d[0]!.message).toContain('| default: "friend" }}');
    expect(checkTemplate('Hi {{ customer.firstName | default: "friend" }}!', 'subject')).toEqual([]);
    expect(checkTemplate('{% if order %}{{ order.total }}{% endif %} 50%} off', 'body')).toEqual([
      expect.objectContaining({ code: 'liquid.stray_braces' }),
    ]);
  });
});
