import {
  FIELD_CATALOG,
  type FieldKind,
  fieldSpec,
  isRuleField,
  KIND_OP_LIST,
  UNSAFE_PATH_SEGMENTS,
} from './field-catalog';
import { fieldPath, type RuleOp } from './rule';

// Lookups over the field catalog (./field-catalog.ts) for rule checks, in-memory evaluation and segment
// SQL, and the value checks by kind. A field unknown to the catalog is refused everywhere instead of
// being looked up on whatever an object inherits (`customer.constructor` once reached Object.prototype).

/** Every typed field, keyed by its full dotted path (an own-key Map: no inherited entries). */
export const RULE_FIELDS: ReadonlyMap<string, FieldKind> = new Map(
  FIELD_CATALOG.filter((s) => !s.freeForm || isRuleField(s.path)).map((s) => [s.path, s.kind]),
);

/** Objects whose keys are the customer's or the shop's own (free-form below the prefix, typed `any`). */
export const FREE_FORM_FIELDS: ReadonlySet<string> = new Set(
  FIELD_CATALOG.filter((s) => s.freeForm).map((s) => s.path),
);

/** The first segment of `field` that names object machinery, or null. */
export function unsafePathSegment(field: string): string | null {
  return fieldPath(field).find((s) => UNSAFE_PATH_SEGMENTS.has(s)) ?? null;
}

/** The kind of a rule field, or undefined when the path is not a field (unknown, unsafe, malformed). */
export function fieldKind(field: string): FieldKind | undefined {
  return isRuleField(field) ? fieldSpec(field)?.kind : undefined;
}

/** Operators that mean something for each kind, as sets (see KIND_OP_LIST). */
export const KIND_OPS: Readonly<Record<FieldKind, ReadonlySet<RuleOp>>> = {
  text: new Set(KIND_OP_LIST.text),
  number: new Set(KIND_OP_LIST.number),
  date: new Set(KIND_OP_LIST.date),
  tags: new Set(KIND_OP_LIST.tags),
  any: new Set(KIND_OP_LIST.any),
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
