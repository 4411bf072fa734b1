import { fieldPath, RuleOp } from './rule';

// The field catalog of the rule language: which paths exist under each root and what type of value they
// hold. In-memory evaluation (evaluate.ts) and segment SQL (packages/db segment-sql) read the same data,
// so a field unknown here is refused everywhere instead of being looked up on whatever an object
// inherits (`customer.constructor` once reached Object.prototype).

/** How a field's values are typed and compared. `any` = free-form JSON (attributes, event properties). */
export type FieldKind = 'text' | 'number' | 'date' | 'tags' | 'any';

const CUSTOMER: ReadonlyArray<readonly [string, FieldKind]> = [
  ['id', 'text'],
  ['externalId', 'text'],
  ['email', 'text'],
  ['phone', 'text'],
  ['firstName', 'text'],
  ['lastName', 'text'],
  ['timezone', 'text'],
  ['timeZone', 'text'],
  ['locale', 'text'],
  ['birthday', 'date'],
  ['tags', 'tags'],
  ['createdAt', 'date'],
  ['stats.ordersCount', 'number'],
  ['stats.totalSpent', 'number'],
  ['stats.aov', 'number'],
  ['stats.firstOrderAt', 'date'],
  ['stats.lastOrderAt', 'date'],
];

const ORDER: ReadonlyArray<readonly [string, FieldKind]> = [
  ['id', 'text'],
  ['externalId', 'text'],
  ['number', 'text'],
  ['total', 'number'],
  ['currency', 'text'],
  ['items', 'any'],
  ['status', 'text'],
  ['placedAt', 'date'],
  ['fulfilledAt', 'date'],
  ['deliveredAt', 'date'],
  ['refundedAt', 'date'],
];

const EVENT: ReadonlyArray<readonly [string, FieldKind]> = [
  ['id', 'text'],
  ['type', 'text'],
  ['occurredAt', 'date'],
  ['orderId', 'text'],
];

/** Every typed field, keyed by its full dotted path (an own-key Map: no inherited entries). */
export const RULE_FIELDS: ReadonlyMap<string, FieldKind> = new Map([
  ...CUSTOMER.map(([p, k]) => [`customer.${p}`, k] as const),
  ...ORDER.map(([p, k]) => [`order.${p}`, k] as const),
  ...EVENT.map(([p, k]) => [`trigger.${p}`, k] as const),
  ...EVENT.map(([p, k]) => [`event.${p}`, k] as const),
]);

/** Objects whose keys are the customer's or the shop's own (free-form below the prefix, typed `any`). */
export const FREE_FORM_FIELDS: ReadonlySet<string> = new Set([
  'customer.attributes',
  'customer.consent',
  'order.items',
  'trigger.properties',
  'event.properties',
]);

/** Path segments that name JavaScript object machinery, never data: refused even in free-form paths. */
export const UNSAFE_PATH_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The first segment of `field` that names object machinery, or null. */
export function unsafePathSegment(field: string): string | null {
  return fieldPath(field).find((s) => UNSAFE_PATH_SEGMENTS.has(s)) ?? null;
}

/** The kind of a rule field, or undefined when the path is not a field (unknown, unsafe, malformed). */
export function fieldKind(field: string): FieldKind | undefined {
  const path = fieldPath(field);
  if (path.some((s) => UNSAFE_PATH_SEGMENTS.has(s))) return undefined;
  const known = RULE_FIELDS.get(path.join('.'));
  if (known) return known;
  for (let i = path.length - 1; i >= 2; i--) {
    if (FREE_FORM_FIELDS.has(path.slice(0, i).join('.'))) return 'any';
  }
  return undefined;
}

/** Operators that mean something for each kind (others are always false, or disagree between engines). */
export const KIND_OPS: Readonly<Record<FieldKind, ReadonlySet<RuleOp>>> = {
  text: new Set<RuleOp>(['eq', 'neq', 'contains', 'in', 'exists', 'gt', 'gte', 'lt', 'lte']),
  number: new Set<RuleOp>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
  date: new Set<RuleOp>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
  tags: new Set<RuleOp>(['contains', 'in', 'exists', 'eq', 'neq']),
  any: new Set<RuleOp>(RuleOp.options),
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A calendar date, optionally with a time and offset (`2024-05-01`, `2024-05-01T10:00:00Z`). */
export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = ISO.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 59;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string';

// What one scalar of a kind looks like, with the words for a message.
const SCALAR: Record<FieldKind, { ok: (v: unknown) => boolean; what: string }> = {
  text: { ok: isText, what: 'text' },
  number: { ok: isNumber, what: 'a number' },
  date: { ok: isIsoDate, what: 'an ISO date like 2024-05-01' },
  tags: { ok: isText, what: 'a tag (text)' },
  any: { ok: () => true, what: 'a value' },
};

/**
 * Why `value` does not fit `op` on a field of `kind`, or null. `in` takes a list of the field's type;
 * `eq` / `neq` also take null ("is empty"); ordering on text and free-form fields takes text or numbers.
 */
export function valueProblem(kind: FieldKind, op: RuleOp, value: unknown): string | null {
  if (op === 'exists' || op === 'is_true' || op === 'is_false') return null;
  const scalar = SCALAR[kind];
  if (op === 'in') {
    if (!Array.isArray(value)) return `takes a list of ${kind === 'any' ? 'values' : `${scalar.what}s`}`;
    const bad = value.findIndex((v) => !scalar.ok(v));
    return bad < 0 ? null : `takes a list of ${scalar.what} values (item ${bad + 1} is not)`;
  }
  if ((op === 'eq' || op === 'neq') && value === null) return null;
  if (kind === 'tags' && (op === 'eq' || op === 'neq')) {
    return Array.isArray(value) && value.every(isText) ? null : 'takes a list of tags';
  }
  if ((kind === 'text' || kind === 'any') && ['gt', 'gte', 'lt', 'lte'].includes(op)) {
    return isText(value) || isNumber(value) ? null : 'takes a number or a date';
  }
  return scalar.ok(value) ? null : `takes ${scalar.what}`;
}
