import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate';
import { getField, MAX_EXPANDED_CONDITIONS, type Rule } from './rule';
import { expandedRuleSize, ruleIssues } from './rule-check';
import { fieldKind, isIsoDate, valueProblem } from './rule-fields';

const PROTO_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

describe('own-key field lookups', () => {
  const ctx = { customer: { email: 'a@b.co', attributes: { tier: 'gold' }, tags: ['vip'] } };

  it.each(PROTO_KEYS)('never reads an inherited "%s"', (key) => {
    expect(getField(ctx, `customer.${key}`)).toBeUndefined();
    expect(getField(ctx, `customer.attributes.${key}`)).toBeUndefined();
    expect(getField(ctx, `customer.email.${key}`)).toBeUndefined();
    expect(getField(ctx, key)).toBeUndefined();
    const r = evaluateRule({ field: `customer.${key}`, op: 'exists' }, ctx);
    expect(r.result).toBe(false);
    // The label lookup is own-key too: the reason names the field, not a function's source.
    expect(evaluateRule({ field: key, op: 'exists' }, ctx).reasons[0]?.text).toBe(
      `${key} (missing) exists (no)`,
    );
  });

  it('still reads data that happens to use such a name as its own key', () => {
    const own = JSON.parse('{"customer":{"attributes":{"constructor":"x"}}}');
    expect(getField(own, 'customer.attributes.constructor')).toBe('x');
  });
});

describe('field catalog', () => {
  it.each([
    ['customer.stats.aov', 'number'],
    ['customer.birthday', 'date'],
    ['customer.tags', 'tags'],
    ['customer.attributes.anything.nested', 'any'],
    ['order.items[0].title', 'any'],
    ['trigger.properties.rating', 'any'],
    ['event.occurredAt', 'date'],
  ])('%s is %s', (field, kind) => {
    expect(fieldKind(field)).toBe(kind);
  });

  it.each([
    ...PROTO_KEYS.map((k) => `customer.${k}`),
    'customer.attributes.__proto__',
    'customer.attributes.x.constructor',
    'customer.attributes.prototype',
    'event.properties.__proto__.polluted',
    'customer.attributes',
    'customer.stats',
    'customer.tags.length',
    'order.nope',
  ])('%s is not a field', (field) => {
    expect(fieldKind(field)).toBeUndefined();
  });

  it('knows ISO dates from look-alikes', () => {
    for (const ok of ['2024-05-01', '2024-02-29', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123+02:00'])
      expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-05-01T25:00',
      'a',
      1,
      null,
      '20240501',
    ])
      expect(isIsoDate(bad), String(bad)).toBe(false);
  });

  it('checks values against the field type', () => {
    expect(valueProblem('date', 'in', [1, 'a'])).toMatch(/list/);
    expect(valueProblem('date', 'in', ['2024-01-01'])).toBeNull();
    expect(valueProblem('number', 'gt', '300')).toMatch(/number/);
    expect(valueProblem('number', 'eq', null)).toBeNull();
    expect(valueProblem('tags', 'contains', 'vip')).toBeNull();
    expect(valueProblem('tags', 'in', ['vip', 2])).toMatch(/item 2/);
    expect(valueProblem('any', 'in', 'x')).toMatch(/list/);
    expect(valueProblem('any', 'eq', { a: [1] })).toBeNull();
  });
});

describe('ruleIssues', () => {
  it('names the condition at fault with a stable code', () => {
    const rule: Rule = {
      all: [
        { field: 'customer.stats.aov', op: 'gt', value: 300 },
        { not: { field: 'customer.constructor', op: 'exists' } },
        { any: [{ field: 'customer.birthday', op: 'in', value: [1, 'a'] }] },
        { field: 'customer.stats.aov', op: 'contains', value: 1 },
        { field: 'customer.attributes.__proto__', op: 'eq', value: 1 },
        { field: 'cart.total', op: 'gt', value: 1 },
      ],
    };
    expect(ruleIssues(rule).map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'all.1.not.field', code: 'rule.unknown_field' },
      { path: 'all.2.any.0.value', code: 'rule.invalid_value' },
      { path: 'all.3.op', code: 'rule.invalid_op' },
      { path: 'all.4.field', code: 'rule.unknown_field' },
      { path: 'all.5.field', code: 'rule.invalid' },
    ]);
    expect(ruleIssues({ field: 'customer.toString', op: 'exists' })[0]).toMatchObject({
      path: 'field',
      message: expect.stringContaining('customer.toString'),
    });
  });

  it('accepts every well-typed condition', () => {
    const rule: Rule = {
      any: [
        { field: 'customer.birthday', op: 'gte', value: '1990-01-01' },
        { field: 'customer.tags', op: 'in', value: ['vip'] },
        { field: 'customer.attributes.plan', op: 'in', value: ['gold', 1, null] },
        { field: 'customer.email', op: 'eq', value: null },
        { field: 'order.total', op: 'gt', value: 100 },
        { field: 'event.properties.rating', op: 'gte', value: 4 },
        { field: 'customer.attributes.vip', op: 'is_true' },
        { segment: 'x' },
      ],
    };
    expect(ruleIssues(rule)).toEqual([]);
  });
});

describe('expandedRuleSize', () => {
  const cond: Rule = { field: 'customer.stats.aov', op: 'gt', value: 1 };

  it('counts conditions and references with multiplicity', () => {
    const rules = new Map<string, Rule>([
      ['a', { all: [cond, cond] }],
      ['b', { any: [{ segment: 'a' }, { segment: 'a' }, { segment: 'missing' }] }],
    ]);
    expect(expandedRuleSize({ segment: 'b' }, (id) => rules.get(id))).toBe(1 + 3 + 2 * 2);
  });

  it('does not expand a segment again inside itself', () => {
    const rules = new Map<string, Rule>([
      ['a', { all: [cond, { segment: 'b' }] }],
      ['b', { all: [cond, { segment: 'a' }] }],
    ]);
    expect(expandedRuleSize({ segment: 'a' }, (id) => rules.get(id))).toBe(1 + 2 + 2);
  });

  it('stops counting just past the budget, cheaply, however large the expansion', () => {
    // Seven levels, each using the previous one 100 times: 10^14 conditions if built.
    const rules = new Map<string, Rule>([['s0', { all: Array.from({ length: 100 }, () => cond) }]]);
    for (let level = 1; level < 7; level++)
      rules.set(`s${level}`, { any: Array.from({ length: 100 }, () => ({ segment: `s${level - 1}` })) });
    const started = performance.now();
    const size = expandedRuleSize({ segment: 's6' }, (id) => rules.get(id));
    expect(size).toBeGreaterThan(MAX_EXPANDED_CONDITIONS);
    expect(size).toBeLessThan(MAX_EXPANDED_CONDITIONS + 300);
    expect(performance.now() - started).toBeLessThan(100);
    // Empty segments referenced many times still count: the references themselves are the size.
    const empty = new Map<string, Rule>([['e', { all: [] }]]);
    for (let level = 1; level < 7; level++)
      empty.set(`e${level}`, {
        any: Array.from({ length: 100 }, () => ({ segment: level === 1 ? 'e' : `e${level - 1}` })),
      });
    expect(expandedRuleSize({ segment: 'e6' }, (id) => empty.get(id))).toBeGreaterThan(
      MAX_EXPANDED_CONDITIONS,
    );
  });
});
