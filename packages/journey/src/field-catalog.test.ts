import { describe, expect, it } from 'vitest';
import { CONSENT_STATES, FIELD_CATALOG, fieldSpec } from './field-catalog';
import { ruleIssues } from './rule-check';
import { fieldKind, RULE_FIELDS } from './rule-fields';

describe('field catalog', () => {
  it('names each path once, under its root', () => {
    const paths = FIELD_CATALOG.map((s) => s.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const s of FIELD_CATALOG) {
      expect(s.path.startsWith(`${s.root}.`), s.path).toBe(true);
      expect(s.label.length, s.path).toBeGreaterThan(0);
      expect(s.description.length, s.path).toBeGreaterThan(0);
      expect(s.ops.length, s.path).toBeGreaterThan(0);
    }
  });

  it('lists the fields the rule checks accept, with the operators they accept', () => {
    for (const s of FIELD_CATALOG) {
      const field = s.freeForm ? `${s.path}.key` : s.path;
      expect(fieldKind(field), field).toBe(s.kind);
      for (const op of s.ops) {
        const issues = ruleIssues({ field, op, value: op === 'in' ? [] : undefined });
        expect(
          issues.filter((i) => i.code === 'rule.invalid_op' || i.code === 'rule.unknown_field'),
          `${field} ${op}`,
        ).toEqual([]);
      }
    }
    expect(RULE_FIELDS.size).toBe(FIELD_CATALOG.filter((s) => !s.freeForm).length + 1); // + order.items
  });

  it('resolves keys under a free-form prefix to the prefix, and nothing inherited', () => {
    expect(fieldSpec('customer.attributes.tier.level')?.path).toBe('customer.attributes');
    expect(fieldSpec('order.items[0].sku')?.path).toBe('order.items');
    expect(fieldSpec('customer.consent.email')?.values).toEqual(CONSENT_STATES);
    expect(fieldSpec('customer.timezone')).toMatchObject({ kind: 'text', root: 'customer' });
    expect(fieldSpec('order.number')?.kind).toBe('text');
    for (const bad of ['customer.constructor', 'customer.attributes.__proto__', 'customer.stats', 'nope.x'])
      expect(fieldSpec(bad), bad).toBeUndefined();
  });
});
