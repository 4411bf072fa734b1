import type { Condition, Performed, Rule, RuleOp } from '@hourglass/journey';

// What a segment condition can look at, in the words a marketer uses. Segments are evaluated in SQL
// over the customer table (packages/db segment-sql), so only `customer.*` fields are offered, plus
// "performed event X at least N times within D days" (counted over the customer's events).

/** How a field's values are typed in and compared. */
export type ValueKind = 'text' | 'number' | 'date' | 'tags' | 'any';

/** A group of fields in the "what" picker. */
export type FieldCategory = 'profile' | 'stats' | 'attribute' | 'tag';

/** A known customer field. */
export interface FieldDef {
  field: string;
  label: string;
  category: FieldCategory;
  kind: ValueKind;
}

/** The fields offered, by category; attributes are free-form (`customer.attributes.<key>`). */
export const FIELDS: readonly FieldDef[] = [
  { field: 'customer.email', label: 'Email', category: 'profile', kind: 'text' },
  { field: 'customer.phone', label: 'Phone', category: 'profile', kind: 'text' },
  { field: 'customer.firstName', label: 'First name', category: 'profile', kind: 'text' },
  { field: 'customer.lastName', label: 'Last name', category: 'profile', kind: 'text' },
  { field: 'customer.timezone', label: 'Time zone', category: 'profile', kind: 'text' },
  { field: 'customer.locale', label: 'Locale', category: 'profile', kind: 'text' },
  { field: 'customer.birthday', label: 'Birthday', category: 'profile', kind: 'date' },
  { field: 'customer.externalId', label: 'External id', category: 'profile', kind: 'text' },
  { field: 'customer.createdAt', label: 'Customer since', category: 'profile', kind: 'date' },
  { field: 'customer.stats.ordersCount', label: 'Number of orders', category: 'stats', kind: 'number' },
  { field: 'customer.stats.totalSpent', label: 'Total spent', category: 'stats', kind: 'number' },
  { field: 'customer.stats.aov', label: 'Average order value', category: 'stats', kind: 'number' },
  { field: 'customer.stats.firstOrderAt', label: 'First order date', category: 'stats', kind: 'date' },
  { field: 'customer.stats.lastOrderAt', label: 'Last order date', category: 'stats', kind: 'date' },
  { field: 'customer.tags', label: 'Tags', category: 'tag', kind: 'tags' },
];

export const CATEGORIES: { id: FieldCategory; label: string }[] = [
  { id: 'profile', label: 'Profile' },
  { id: 'stats', label: 'Order stats' },
  { id: 'attribute', label: 'Attribute' },
  { id: 'tag', label: 'Tag' },
];

export const ATTRIBUTE_PREFIX = 'customer.attributes.';

/** Operators that make sense for each kind of value, with their wording. */
export const OPS: Record<ValueKind, { op: RuleOp; label: string }[]> = {
  text: [
    { op: 'eq', label: 'is' },
    { op: 'neq', label: 'is not' },
    { op: 'contains', label: 'contains' },
    { op: 'in', label: 'is one of' },
    { op: 'exists', label: 'is set' },
  ],
  number: [
    { op: 'gt', label: 'is more than' },
    { op: 'gte', label: 'is at least' },
    { op: 'lt', label: 'is less than' },
    { op: 'lte', label: 'is at most' },
    { op: 'eq', label: 'equals' },
    { op: 'neq', label: 'does not equal' },
  ],
  date: [
    { op: 'gte', label: 'is on or after' },
    { op: 'lt', label: 'is before' },
    { op: 'exists', label: 'is set' },
  ],
  tags: [
    { op: 'contains', label: 'has tag' },
    { op: 'in', label: 'has any of the tags' },
  ],
  any: [
    { op: 'eq', label: 'is' },
    { op: 'neq', label: 'is not' },
    { op: 'gt', label: 'is more than' },
    { op: 'lt', label: 'is less than' },
    { op: 'contains', label: 'contains' },
    { op: 'in', label: 'is one of' },
    { op: 'exists', label: 'is set' },
    { op: 'is_true', label: 'is true' },
    { op: 'is_false', label: 'is false' },
  ],
};

/** Operators that take no value. */
export const NO_VALUE: ReadonlySet<RuleOp> = new Set(['exists', 'is_true', 'is_false']);

/** The catalogue entry of a field; attributes and unknown fields get a generic one. */
export function fieldDef(field: string): FieldDef {
  const known = FIELDS.find((f) => f.field === field);
  if (known) return known;
  const key = field.startsWith(ATTRIBUTE_PREFIX) ? field.slice(ATTRIBUTE_PREFIX.length) : field;
  return { field, label: key || 'attribute', category: 'attribute', kind: 'any' };
}

/** A fresh condition for a category (its first field, first operator, an empty value). */
export function newCondition(category: FieldCategory): Condition {
  if (category === 'attribute') return { field: ATTRIBUTE_PREFIX, op: 'eq', value: '' };
  const def = FIELDS.find((f) => f.category === category) ?? FIELDS[0]!;
  return conditionFor(def.field);
}

/** A condition on `field` keeping what still fits of the previous one. */
export function conditionFor(field: string, prev?: Condition): Condition {
  const kind = fieldDef(field).kind;
  const ops = OPS[kind];
  const op = prev && ops.some((o) => o.op === prev.op) ? prev.op : ops[0]!.op;
  if (NO_VALUE.has(op)) return { field, op };
  const keep = prev && fieldDef(prev.field).kind === kind && prev.value !== undefined;
  return { field, op, value: keep ? prev.value : kind === 'number' ? 0 : '' };
}

/** Parses what was typed into the value box, by the field's kind. */
export function parseValue(text: string, kind: ValueKind, op: RuleOp): Condition['value'] {
  if (op === 'in') {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseValue(s, kind, 'eq') as string | number | boolean);
  }
  if (kind === 'number') return text.trim() === '' ? '' : Number(text);
  if (kind === 'any') {
    const t = text.trim();
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
  }
  return text;
}

/** The value as shown in its input. */
export const showValue = (v: unknown) =>
  Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : String(v);

/** Problems a condition has before it is sent to the server; empty = fine. */
export function conditionProblem(c: Condition): string | null {
  const def = fieldDef(c.field);
  if (def.category === 'attribute' && c.field.length <= ATTRIBUTE_PREFIX.length) return 'Name the attribute';
  if (NO_VALUE.has(c.op)) return null;
  const v = c.value;
  if (c.op === 'in') return Array.isArray(v) && v.length > 0 ? null : 'List at least one value';
  if (v === undefined || v === '') return 'Enter a value';
  if (def.kind === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) return 'Enter a number';
  if (def.kind === 'date' && !(typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v))) return 'Pick a date';
  return null;
}

/** A fresh "performed event" condition: placed an order at least once in the last 30 days. */
export const newPerformed = (): { performed: Performed } => ({
  performed: { eventType: 'order.placed', atLeast: 1, withinDays: 30 },
});

const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/i;

/** Problems of a "performed event" condition as typed; empty = fine (same bounds as the schema). */
export function performedProblem(p: Performed): string | null {
  if (!p.eventType.trim()) return 'Enter an event type';
  if (!EVENT_TYPE.test(p.eventType) || p.eventType.length > 100)
    return 'Use a dotted event name like order.placed';
  if (!Number.isInteger(p.atLeast) || p.atLeast < 1 || p.atLeast > 1_000_000)
    return 'Enter how many times (at least 1)';
  if (p.withinDays !== null && (!Number.isInteger(p.withinDays) || p.withinDays < 1 || p.withinDays > 3650))
    return 'Enter a number of days from 1 to 3650';
  return null;
}

/** "performed order.placed at least 2 times in the last 30 days". */
export function describePerformed(p: Performed): string {
  const times = p.atLeast === 1 ? 'at least once' : `at least ${p.atLeast} times`;
  const window =
    p.withinDays === null ? 'ever' : `in the last ${p.withinDays} day${p.withinDays === 1 ? '' : 's'}`;
  return `performed ${p.eventType} ${times} ${window}`;
}

/** Every problem of a rule, with the path of the condition at fault (`0.1` = second in first group). */
export function ruleProblemsByPath(rule: Rule, path = ''): { path: string; message: string }[] {
  if ('all' in rule) return rule.all.flatMap((r, i) => ruleProblemsByPath(r, join(path, i)));
  if ('any' in rule) return rule.any.flatMap((r, i) => ruleProblemsByPath(r, join(path, i)));
  if ('not' in rule) return ruleProblemsByPath(rule.not, path);
  if ('segment' in rule) return rule.segment ? [] : [{ path, message: 'Pick a segment' }];
  const message = 'performed' in rule ? performedProblem(rule.performed) : conditionProblem(rule);
  return message ? [{ path, message }] : [];
}
const join = (path: string, i: number) => (path ? `${path}.${i}` : String(i));

/** One line a marketer can read: "Number of orders is at least 2 and Average order value is more than 300". */
export function describeRule(rule: Rule, segmentName: (id: string) => string = (id) => id): string {
  const inner = (r: Rule): string => {
    if ('all' in r) return r.all.length ? r.all.map(wrap).join(' and ') : 'everyone';
    if ('any' in r) return r.any.length ? r.any.map(wrap).join(' or ') : 'no one';
    if ('not' in r) return `not (${inner(r.not)})`;
    if ('segment' in r) return `in segment “${segmentName(r.segment)}”`;
    if ('performed' in r) return describePerformed(r.performed);
    const def = fieldDef(r.field);
    const op = OPS[def.kind].find((o) => o.op === r.op)?.label ?? r.op.replaceAll('_', ' ');
    return NO_VALUE.has(r.op) ? `${def.label} ${op}` : `${def.label} ${op} ${showValue(r.value)}`;
  };
  const wrap = (r: Rule) => ('all' in r || 'any' in r ? `(${inner(r)})` : inner(r));
  return inner(rule);
}

/** How a group combines its items. */
export type Mode = 'all' | 'any' | 'none' | 'notall';
/** A group as the builder shows it. */
export type Group = { mode: Mode; children: Rule[] };

/** Reads any rule as a group the builder can show (a lone condition becomes "all of [it]"). */
export function toGroup(rule: Rule): Group {
  if ('all' in rule) return { mode: 'all', children: rule.all };
  if ('any' in rule) return { mode: 'any', children: rule.any };
  if ('not' in rule) {
    const inner = rule.not;
    if ('any' in inner) return { mode: 'none', children: inner.any };
    if ('all' in inner) return { mode: 'notall', children: inner.all };
    return { mode: 'none', children: [inner] };
  }
  return { mode: 'all', children: [rule] };
}

/** The rule a group stands for. */
export function fromGroup(g: Group): Rule {
  switch (g.mode) {
    case 'all':
      return { all: g.children };
    case 'any':
      return { any: g.children };
    case 'none':
      return { not: { any: g.children } };
    case 'notall':
      return { not: { all: g.children } };
  }
}
