import { Rule } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import {
  conditionFor,
  conditionProblem,
  describeRule,
  fromGroup,
  newCondition,
  newPerformed,
  parseValue,
  performedProblem,
  ruleProblemsByPath,
  toGroup,
} from './fields';

describe('segment rule builder model', () => {
  it('reads every rule shape as a group and writes back the same rule', () => {
    const cond = { field: 'customer.stats.aov', op: 'gt', value: 300 } as const;
    const rules: Rule[] = [
      { all: [cond] },
      { any: [cond, { segment: 's1' }] },
      { not: { any: [cond] } },
      { not: { all: [cond, cond] } },
    ];
    for (const r of rules) expect(fromGroup(toGroup(r))).toEqual(r);
    // Shapes without a group of their own are wrapped, never lost.
    expect(fromGroup(toGroup(cond))).toEqual({ all: [cond] });
    expect(fromGroup(toGroup({ not: cond }))).toEqual({ not: { any: [cond] } });
  });

  it('creates conditions the rule schema accepts, keeping what fits when the field changes', () => {
    for (const c of ['profile', 'stats', 'attribute', 'tag'] as const) {
      expect(Rule.safeParse({ all: [newCondition(c)] }).success).toBe(true);
    }
    const aov = conditionFor('customer.stats.aov', {
      field: 'customer.stats.totalSpent',
      op: 'gte',
      value: 50,
    });
    expect(aov).toEqual({ field: 'customer.stats.aov', op: 'gte', value: 50 });
    // A text field has no "at least": the operator and the numeric value are reset.
    const email = conditionFor('customer.email', aov);
    expect(email).toEqual({ field: 'customer.email', op: 'eq', value: '' });
  });

  it('parses typed values by kind', () => {
    expect(parseValue('12.5', 'number', 'gt')).toBe(12.5);
    expect(parseValue('', 'number', 'gt')).toBe('');
    expect(parseValue('007', 'text', 'eq')).toBe('007');
    expect(parseValue('true', 'any', 'eq')).toBe(true);
    expect(parseValue('vip, gold ,', 'tags', 'in')).toEqual(['vip', 'gold']);
    expect(parseValue('1, 2', 'number', 'in')).toEqual([1, 2]);
  });

  it('names what is wrong with each condition, by its position', () => {
    expect(conditionProblem({ field: 'customer.stats.aov', op: 'gt', value: '' })).toBe('Enter a value');
    expect(conditionProblem({ field: 'customer.attributes.', op: 'eq', value: 1 })).toBe(
      'Name the attribute',
    );
    expect(conditionProblem({ field: 'customer.birthday', op: 'gte', value: 'soon' })).toBe('Pick a date');
    expect(conditionProblem({ field: 'customer.tags', op: 'in', value: [] })).toBe('List at least one value');
    expect(conditionProblem({ field: 'customer.email', op: 'exists' })).toBeNull();
    const rule: Rule = {
      all: [
        { field: 'customer.stats.aov', op: 'gt', value: 300 },
        { not: { any: [{ segment: '' }, { field: 'customer.stats.aov', op: 'gt', value: '' }] } },
      ],
    };
    expect(ruleProblemsByPath(rule)).toEqual([
      { path: '1.0', message: 'Pick a segment' },
      { path: '1.1', message: 'Enter a value' },
    ]);
  });

  it('describes a rule in words', () => {
    const rule: Rule = {
      all: [
        { field: 'customer.stats.ordersCount', op: 'gte', value: 2 },
        { any: [{ field: 'customer.tags', op: 'contains', value: 'vip' }, { segment: 'abc' }] },
      ],
    };
    expect(describeRule(rule, (id) => (id === 'abc' ? 'Big spenders' : id))).toBe(
      'Number of orders is at least 2 and (Tags has tag vip or in segment “Big spenders”)',
    );
  });

  it('checks and describes "performed event" conditions with the schema\'s bounds', () => {
    expect(Rule.safeParse({ all: [newPerformed()] }).success).toBe(true);
    const p = newPerformed().performed;
    expect(performedProblem(p)).toBeNull();
    expect(performedProblem({ ...p, eventType: '' })).toBe('Enter an event type');
    expect(performedProblem({ ...p, eventType: 'order placed' })).toBe(
      'Use a dotted event name like order.placed',
    );
    for (const atLeast of [0, 1.5, Number.NaN])
      expect(performedProblem({ ...p, atLeast })).toBe('Enter how many times (at least 1)');
    for (const withinDays of [0, 3651, Number.NaN])
      expect(performedProblem({ ...p, withinDays })).toBe('Enter a number of days from 1 to 3650');
    expect(performedProblem({ ...p, withinDays: null })).toBeNull();
    // What the builder accepts, the schema accepts, and the other way round.
    for (const bad of [
      { ...p, atLeast: 0 },
      { ...p, withinDays: 3651 },
      { ...p, eventType: 'a b' },
    ])
      expect(Rule.safeParse({ performed: bad }).success).toBe(false);
    const rule: Rule = {
      any: [{ performed: { ...p, atLeast: 0 } }, { performed: { ...p, withinDays: null } }],
    };
    expect(ruleProblemsByPath(rule)).toEqual([{ path: '0', message: 'Enter how many times (at least 1)' }]);
    expect(
      describeRule({ all: [{ performed: { eventType: 'review.submitted', atLeast: 2, withinDays: 30 } }] }),
    ).toBe('performed review.submitted at least 2 times in the last 30 days');
    expect(describeRule({ performed: { eventType: 'order.placed', atLeast: 1, withinDays: null } })).toBe(
      'performed order.placed at least once ever',
    );
  });
});
