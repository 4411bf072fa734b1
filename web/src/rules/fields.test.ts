import { FIELD_CATALOG, Rule, ruleIssues } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import {
  conditionFor,
  conditionProblem,
  DEFAULT_SCOPE,
  FIELD_GROUPS,
  groupOf,
  groupsFor,
  newCondition,
  opsFor,
  parseValue,
  type RuleScope,
  SEGMENT_SCOPE,
  withKey,
} from './fields';
import {
  describeRule,
  fromGroup,
  leafProblem,
  newPerformed,
  performedProblem,
  ruleProblemsByPath,
  toGroup,
} from './model';

const EVERYTHING: RuleScope = { roots: ['customer', 'order', 'trigger', 'event'] };

describe('rule editor: the field picker comes from the catalog', () => {
  it('offers every catalog field in exactly one group, with the catalog operators', () => {
    for (const spec of FIELD_CATALOG) {
      const holding = FIELD_GROUPS.filter((g) => g.fields.includes(spec));
      expect(holding.map((g) => g.id)).toHaveLength(1);
      const field = spec.freeForm ? withKey(spec.path, 'k') : spec.path;
      expect(groupOf(field)).toBe(holding[0]);
      expect(new Set(opsFor(field).map((o) => o.op))).toEqual(new Set(spec.ops));
    }
  });

  it('offers only the roots of its scope: segments see the customer, filters the event too', () => {
    const roots = (s: RuleScope) => new Set(groupsFor(s).map((g) => g.root));
    expect(roots(SEGMENT_SCOPE)).toEqual(new Set(['customer']));
    expect(roots(DEFAULT_SCOPE)).toEqual(new Set(['customer', 'order', 'trigger']));
    expect(roots(EVERYTHING)).toEqual(new Set(['customer', 'order', 'trigger', 'event']));
    const segmentGroups = groupsFor(SEGMENT_SCOPE).map((g) => g.label);
    expect(segmentGroups).toEqual(expect.arrayContaining(['Profile', 'Order stats', 'Tag', 'Attribute']));
  });

  it('creates conditions the rule schema and the rule check accept, in every group', () => {
    for (const g of FIELD_GROUPS) {
      const c = newCondition(g.id);
      expect(groupOf(c.field)).toBe(g);
      expect(Rule.safeParse({ all: [c] }).success).toBe(true);
      // A fresh free-form condition waits for its key; a typed one only for its value.
      if (!g.freeForm)
        expect(ruleIssues(c, EVERYTHING.roots).filter((i) => i.code !== 'rule.invalid_value')).toEqual([]);
    }
  });

  it('keeps what fits when the field or the operator changes', () => {
    const aov = conditionFor('customer.stats.aov', {
      field: 'customer.stats.totalSpent',
      op: 'gte',
      value: 50,
    });
    expect(aov).toEqual({ field: 'customer.stats.aov', op: 'gte', value: 50 });
    // Another kind of field: the operator and the value start over.
    const email = conditionFor('customer.email', aov);
    expect(email).toEqual({ field: 'customer.email', op: 'eq', value: '' });
    // A list operator takes the value as its first item, and back.
    const list = conditionFor('customer.email', { ...email, op: 'in', value: 'a@b.c' });
    expect(list).toEqual({ field: 'customer.email', op: 'in', value: ['a@b.c'] });
    expect(conditionFor('customer.email', { ...list, op: 'eq' })).toEqual({
      ...list,
      op: 'eq',
      value: 'a@b.c',
    });
    expect(conditionFor('customer.email', { ...list, op: 'exists' })).toEqual({
      field: 'customer.email',
      op: 'exists',
    });
  });

  it('parses typed values by kind', () => {
    expect(parseValue('12.5', 'number', 'gt')).toBe(12.5);
    expect(parseValue('', 'number', 'gt')).toBe('');
    expect(parseValue('007', 'text', 'eq')).toBe('007');
    expect(parseValue('true', 'any', 'eq')).toBe(true);
    expect(parseValue('vip, gold ,', 'tags', 'in')).toEqual(['vip', 'gold']);
    expect(parseValue('vip, gold', 'tags', 'eq')).toEqual(['vip', 'gold']);
    expect(parseValue('1, 2', 'number', 'in')).toEqual([1, 2]);
  });

  it("names what is wrong with a condition, in the editor's words then the rule check's", () => {
    expect(conditionProblem({ field: 'customer.stats.aov', op: 'gt', value: '' })).toBe('Enter a value');
    expect(conditionProblem({ field: 'customer.attributes.', op: 'eq', value: 1 })).toBe(
      'Name the attribute',
    );
    expect(conditionProblem({ field: 'customer.birthday', op: 'gte', value: 'soon' })).toBe('Pick a date');
    expect(conditionProblem({ field: 'customer.tags', op: 'in', value: [] })).toBe('List at least one value');
    expect(conditionProblem({ field: 'customer.email', op: 'exists' })).toBeNull();
    expect(conditionProblem({ field: 'order.items', op: 'exists' })).toBeNull();
    // What the server would refuse is refused here too, with its words.
    const order = { field: 'order.total', op: 'gt', value: 1 } as const;
    expect(conditionProblem(order, DEFAULT_SCOPE)).toBeNull();
    expect(conditionProblem(order, SEGMENT_SCOPE)).toBe(ruleIssues(order, ['customer'])[0]!.message);
    expect(conditionProblem({ field: 'customer.shoeSize', op: 'eq', value: 1 })).toBe(
      'Unknown field "customer.shoeSize"',
    );
    expect(conditionProblem({ field: 'customer.attributes.__proto__', op: 'eq', value: 1 })).toMatch(
      /cannot be part of a field name/,
    );
    expect(conditionProblem({ field: 'customer.stats.aov', op: 'contains', value: 1 })).toMatch(
      /does not apply/,
    );
  });

  it('names each problem by its position', () => {
    const rule: Rule = {
      all: [
        { field: 'customer.stats.aov', op: 'gt', value: 300 },
        { not: { any: [{ segment: '' }, { field: 'customer.stats.aov', op: 'gt', value: '' }] } },
      ],
    };
    expect(ruleProblemsByPath(rule, SEGMENT_SCOPE)).toEqual([
      { path: '1.0', message: 'Pick a segment' },
      { path: '1.1', message: 'Enter a value' },
    ]);
  });

  it('describes a rule in words, with the catalog labels', () => {
    const rule: Rule = {
      all: [
        { field: 'customer.stats.ordersCount', op: 'gte', value: 2 },
        { any: [{ field: 'customer.tags', op: 'contains', value: 'vip' }, { segment: 'abc' }] },
        { field: 'customer.attributes.points', op: 'exists' },
      ],
    };
    expect(describeRule(rule, (id) => (id === 'abc' ? 'Big spenders' : id))).toBe(
      'Number of orders is at least 2 and (Tags has tag vip or in segment “Big spenders”) and points is set',
    );
  });
});

describe('rule editor model', () => {
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
    expect(toGroup(null)).toEqual({ mode: 'all', children: [] });
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
    // What the editor accepts, the schema accepts, and the other way round.
    for (const bad of [
      { ...p, atLeast: 0 },
      { ...p, withinDays: 3651 },
      { ...p, eventType: 'a b' },
    ])
      expect(Rule.safeParse({ performed: bad }).success).toBe(false);
    const rule: Rule = {
      any: [{ performed: { ...p, atLeast: 0 } }, { performed: { ...p, withinDays: null } }],
    };
    expect(ruleProblemsByPath(rule, SEGMENT_SCOPE)).toEqual([
      { path: '0', message: 'Enter how many times (at least 1)' },
    ]);
    expect(
      describeRule({ all: [{ performed: { eventType: 'review.submitted', atLeast: 2, withinDays: 30 } }] }),
    ).toBe('performed review.submitted at least 2 times in the last 30 days');
    expect(describeRule({ performed: { eventType: 'order.placed', atLeast: 1, withinDays: null } })).toBe(
      'performed order.placed at least once ever',
    );
  });

  it('flags "performed" where the rule has no event history, like journey compile does', () => {
    const leaf = newPerformed();
    expect(leafProblem(leaf, SEGMENT_SCOPE)).toBeNull();
    expect(leafProblem(leaf, DEFAULT_SCOPE)).toMatch(/needs the customer's event history/);
  });
});
