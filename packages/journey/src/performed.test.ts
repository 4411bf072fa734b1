import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate';
import { Performed, performedKey, Rule, rulePerformed } from './rule';
import { ruleProblems } from './rule-check';

const placed2in365: Rule = { performed: { eventType: 'order.placed', atLeast: 2, withinDays: 365 } };

describe('performed rule schema', () => {
  it('fills defaults: at least once, ever', () => {
    expect(Rule.parse({ performed: { eventType: 'review.submitted' } })).toEqual({
      performed: { eventType: 'review.submitted', atLeast: 1, withinDays: null },
    });
  });

  it('parses inside groups and keeps explicit values', () => {
    const rule = { all: [{ not: placed2in365 }, { field: 'customer.stats.aov', op: 'gt', value: 1 }] };
    expect(Rule.parse(rule)).toEqual(rule);
  });

  it.each([
    [{ eventType: '' }, 'eventType'],
    [{ eventType: 'has space' }, 'eventType'],
    [{ eventType: 'order.placed', atLeast: 0 }, 'atLeast'],
    [{ eventType: 'order.placed', atLeast: 1.5 }, 'atLeast'],
    [{ eventType: 'order.placed', withinDays: 0 }, 'withinDays'],
    [{ eventType: 'order.placed', withinDays: 3651 }, 'withinDays'],
    [{ eventType: 'order.placed', withinDays: '30' }, 'withinDays'],
    [{ eventType: 'order.placed', extra: true }, ''],
  ])('rejects %j (at %s)', (performed, field) => {
    const direct = Performed.safeParse(performed);
    expect(direct.success).toBe(false);
    if (field) expect(direct.error?.issues.map((i) => i.path.join('.'))).toContain(field);
    expect(Rule.safeParse({ performed }).success).toBe(false);
  });

  it('accepts the window bounds', () => {
    expect(Performed.parse({ eventType: 'a', withinDays: 1 }).withinDays).toBe(1);
    expect(Performed.parse({ eventType: 'a', withinDays: 3650 }).withinDays).toBe(3650);
  });

  it('collects performed conditions and keys them by type and window only', () => {
    const rule = Rule.parse({
      any: [placed2in365, { not: { performed: { eventType: 'order.placed', atLeast: 5, withinDays: 365 } } }],
    });
    const found = rulePerformed(rule);
    expect(found).toHaveLength(2);
    expect(new Set(found.map(performedKey))).toEqual(new Set(['order.placed|365']));
    expect(performedKey({ eventType: 'x', withinDays: null })).toBe('x|ever');
    expect(ruleProblems(rule)).toEqual([]);
  });
});

describe('evaluateRule with performed counts', () => {
  it('passes at the threshold and explains the count in words', () => {
    const r = evaluateRule(placed2in365, {}, undefined, { 'order.placed|365': 2 });
    expect(r.result).toBe(true);
    expect(r.reasons).toEqual([
      {
        field: 'performed.order.placed',
        op: 'performed',
        expected: 2,
        actual: 2,
        passed: true,
        text: 'performed order.placed 2 times in the last 365 days (at least 2)',
      },
    ]);
  });

  it('fails below the threshold', () => {
    const r = evaluateRule(placed2in365, {}, undefined, { 'order.placed|365': 1 });
    expect(r.result).toBe(false);
    expect(r.reasons[0]?.text).toBe('performed order.placed 1 time in the last 365 days (at least 2) (no)');
  });

  it('accepts a lookup function and an "ever" window', () => {
    const rule: Rule = { performed: { eventType: 'review.submitted', atLeast: 1, withinDays: null } };
    const r = evaluateRule(rule, {}, undefined, (p) => (p.eventType === 'review.submitted' ? 3 : 0));
    expect(r.result).toBe(true);
    expect(r.reasons[0]?.text).toBe('performed review.submitted 3 times ever (at least 1)');
  });

  it('fails (never throws) without a lookup, and says the history was missing', () => {
    const r = evaluateRule({ not: placed2in365 }, {});
    expect(r.result).toBe(true); // not(false)
    expect(r.reasons[0]?.passed).toBe(false);
    expect(r.reasons[0]?.actual).toBeNull();
    expect(r.reasons[0]?.text).toContain('no event history');
  });

  it('combines with field conditions and segments', () => {
    const rule: Rule = {
      all: [placed2in365, { segment: 'vip' }, { field: 'customer.stats.aov', op: 'gte', value: 100 }],
    };
    const context = { customer: { stats: { aov: 150 } } };
    expect(evaluateRule(rule, context, { vip: true }, { 'order.placed|365': 4 }).result).toBe(true);
    expect(evaluateRule(rule, context, { vip: true }, { 'order.placed|30': 4 }).result).toBe(false);
  });
});
