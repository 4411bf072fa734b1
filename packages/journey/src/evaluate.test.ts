import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate';
import { pickWeighted } from './random';
import { Rule } from './rule';
import { ruleProblems } from './rule-check';

const ctx = {
  customer: {
    email: 'a@b.co',
    tags: ['vip', 'wholesale'],
    stats: { ordersCount: 1, aov: 312.4 },
    attributes: { tier: 'gold' },
  },
  order: { total: '120.50', currency: 'USD', placedAt: '2024-05-01T10:00:00Z', items: [{ title: 'Mug' }] },
  event: { properties: { rating: 5 } },
};

describe('evaluateRule', () => {
  it('explains each condition in support-readable text', () => {
    const r = evaluateRule({ field: 'customer.stats.aov', op: 'gt', value: 300 }, ctx);
    expect(r.result).toBe(true);
    expect(r.reasons).toEqual([
      {
        field: 'customer.stats.aov',
        op: 'gt',
        expected: 300,
        actual: 312.4,
        passed: true,
        text: 'AOV 312.40 > 300',
      },
    ]);
  });
  it.each([
    [{ field: 'customer.stats.ordersCount', op: 'eq', value: 1 }, true],
    [{ field: 'order.total', op: 'gt', value: 100 }, true], // numeric strings compare as numbers
    [{ field: 'order.total', op: 'lte', value: 100 }, false],
    [{ field: 'order.placedAt', op: 'gt', value: '2024-01-01' }, true],
    [{ field: 'customer.tags', op: 'contains', value: 'vip' }, true],
    [{ field: 'customer.email', op: 'contains', value: 'B.CO' }, true],
    [{ field: 'order.currency', op: 'in', value: ['EUR', 'USD'] }, true],
    [{ field: 'customer.tags', op: 'in', value: ['retail'] }, false],
    [{ field: 'customer.attributes.tier', op: 'exists' }, true],
    [{ field: 'customer.attributes.missing', op: 'exists' }, false],
    [{ field: 'customer.attributes.missing', op: 'gt', value: 1 }, false],
    [{ field: 'customer.attributes.missing', op: 'neq', value: 1 }, true],
    [{ field: 'order.items[0].title', op: 'eq', value: 'Mug' }, true],
    [{ field: 'event.properties.rating', op: 'gte', value: 4 }, true],
    [{ field: 'customer.stats.aov', op: 'is_true' }, false],
    [{ all: [] }, true],
    [{ any: [] }, false],
    [{ not: { field: 'order.currency', op: 'eq', value: 'USD' } }, false],
  ] as Array<[Rule, boolean]>)('%j → %s', (rule, expected) => {
    expect(Rule.parse(rule)).toEqual(rule);
    expect(evaluateRule(rule, ctx).result).toBe(expected);
  });
  it('resolves segments through a map or a function, unknown = not a member', () => {
    expect(evaluateRule({ segment: 's1' }, ctx, { s1: true }).result).toBe(true);
    expect(evaluateRule({ segment: 's2' }, ctx, (id) => id === 's1').result).toBe(false);
    expect(evaluateRule({ segment: 's1' }, ctx).reasons[0]?.text).toBe('not in segment s1');
  });
  it('records every reason, not just the first failing one', () => {
    const r = evaluateRule(
      {
        any: [
          { field: 'order.total', op: 'gt', value: 1000 },
          { field: 'customer.stats.aov', op: 'gt', value: 300 },
        ],
      },
      ctx,
    );
    expect(r.result).toBe(true);
    expect(r.reasons.map((x) => x.passed)).toEqual([false, true]);
  });
});

describe('ruleProblems', () => {
  it('flags unknown roots and missing values', () => {
    expect(ruleProblems({ field: 'cart.total', op: 'gt', value: 1 })).toHaveLength(1);
    expect(ruleProblems({ field: 'order.total', op: 'gt' })).toHaveLength(1);
    expect(ruleProblems({ field: 'event.x', op: 'exists' }, ['customer'])).toHaveLength(1);
  });
});

describe('pickWeighted', () => {
  const weights = [
    { port: 'a', percent: 20 },
    { port: 'b', percent: 80 },
  ];
  it('is deterministic per seed and roughly proportional', () => {
    expect(pickWeighted(weights, 'run-1:split')).toBe(pickWeighted(weights, 'run-1:split'));
    let a = 0;
    for (let i = 0; i < 2000; i++) if (pickWeighted(weights, `run-${i}:split`) === 'a') a++;
    expect(a).toBeGreaterThan(300);
    expect(a).toBeLessThan(500);
  });
  it('never picks a 0% port and returns null with no weight', () => {
    const w = [
      { port: 'a', percent: 0 },
      { port: 'b', percent: 100 },
    ];
    for (let i = 0; i < 200; i++) expect(pickWeighted(w, String(i))).toBe('b');
    expect(pickWeighted([], 'x')).toBeNull();
  });
});
