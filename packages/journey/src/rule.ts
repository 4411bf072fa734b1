import { z } from 'zod';
import { Json } from './json';

/** Comparison operators of a condition. `exists`, `is_true`, `is_false` take no value; `in` takes an array. */
export const RuleOp = z.enum([
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'exists',
  'in',
  'is_true',
  'is_false',
]);
export type RuleOp = z.infer<typeof RuleOp>;

/** A single comparison on a dotted field path (`customer.stats.aov`, `order.items[0].sku`, `event.properties.rating`). */
export const Condition = z.object({
  field: z.string().min(1).max(200).describe('Field'),
  op: RuleOp.describe('Operator'),
  value: Json.optional().describe('Value'),
});
export type Condition = z.infer<typeof Condition>;

// `.int()` aborts the parse, which makes the Rule union report the whole rule instead of the field
// at fault; `multipleOf(1)` is the same check without aborting.
const WholeNumber = z.number().multipleOf(1, 'Expected a whole number');

/**
 * "Performed event X at least N times within D days" (`withinDays: null` = ever). Needs the customer's
 * event history: SQL counts it for segments; branches get the counts through a lookup.
 */
export const Performed = z.strictObject({
  eventType: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/i, 'use a dotted event name like "order.placed"')
    .describe('Event'),
  atLeast: WholeNumber.min(1).max(1_000_000).default(1).describe('At least (times)'),
  withinDays: WholeNumber.min(1).max(3650).nullable().default(null).describe('Within days (empty = ever)'),
});
export type Performed = z.infer<typeof Performed>;

/**
 * The condition language shared by branches, await filters, trigger filters, exits, goals and segments.
 * `{all: []}` is true, `{any: []}` is false. `{segment: id}` is resolved through a caller-supplied lookup,
 * `{performed: …}` through a caller-supplied count lookup.
 */
export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | Condition
  | { segment: string }
  | { performed: Performed };

/** Zod schema of `Rule` (recursive). */
export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Rule).max(200) }),
    z.strictObject({ any: z.array(Rule).max(200) }),
    z.strictObject({ not: Rule }),
    z.strictObject({ segment: z.string().min(1).max(200) }),
    z.strictObject({ performed: Performed }),
    Condition.strict(),
  ]),
);

/**
 * MAX_EXPANDED_CONDITIONS: the complexity budget of one rule. Segment references expand in place (in SQL
 * and in memory), so a few segments that each use the previous one 100 times multiply into millions of
 * conditions; past this many conditions and references after expansion (see `expandedRuleSize`) a
 * segment, a preview or a journey rule is refused with `segment.too_complex`.
 */
export const MAX_EXPANDED_CONDITIONS = 1_000;

/** Roots a rule field may start with. `event` only makes sense where an event is being matched. */
export const RULE_ROOTS = ['customer', 'order', 'trigger', 'event'] as const;

/** Parses `a.b[0].c` into `['a','b','0','c']`. */
export function fieldPath(field: string): string[] {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
}

/** Reads a dotted path out of plain data; undefined when any segment is missing. */
export function getField(context: unknown, field: string): unknown {
  let cur: unknown = context;
  for (const seg of fieldPath(field)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Visits every leaf of a rule (conditions and segment references), without recursion. */
export function eachLeaf(rule: Rule, visit: (leaf: Rule) => void): void {
  const stack: Rule[] = [rule];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if ('all' in r) stack.push(...r.all);
    else if ('any' in r) stack.push(...r.any);
    else if ('not' in r) stack.push(r.not);
    else visit(r);
  }
}

/** Collects every segment id referenced by a rule (with repeats). */
export function ruleSegments(rule: Rule): string[] {
  const out: string[] = [];
  eachLeaf(rule, (r) => {
    if ('segment' in r) out.push(r.segment);
  });
  return out;
}

/** How many conditions a rule holds by itself (segment references not expanded). */
export function ruleConditionCount(rule: Rule): number {
  let n = 0;
  eachLeaf(rule, (r) => {
    if (!('segment' in r)) n++;
  });
  return n;
}

/** Collects every `performed` condition of a rule (not those inside referenced segments). */
export function rulePerformed(rule: Rule): Performed[] {
  const out: Performed[] = [];
  const stack: Rule[] = [rule];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if ('all' in r) stack.push(...r.all);
    else if ('any' in r) stack.push(...r.any);
    else if ('not' in r) stack.push(r.not);
    else if ('performed' in r) out.push(r.performed);
  }
  return out;
}

/** Key of a performed count in a lookup: the count depends on the event type and window only. */
export function performedKey(p: Pick<Performed, 'eventType' | 'withinDays'>): string {
  return `${p.eventType}|${p.withinDays ?? 'ever'}`;
}
