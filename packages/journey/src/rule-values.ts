import { canonicalJson } from './json';

// What a number, a date and "equal" mean when a rule compares values, written once for both engines:
// evaluateRule (memory) calls these functions, and segment SQL (packages/db segment-sql.ts) builds its
// predicates from the same patterns and limits, so a segment and a branch give the same answer
// (packages/db segment-agreement.test.ts checks it on random data).

/**
 * Text that counts as a number: optional minus, digits, optional decimals, spaces around (no exponent,
 * no leading dot, no hex: forms PostgreSQL and JavaScript read alike). At most 255 digits before and
 * after the point (PostgreSQL's largest regex count), so SQL reads it as a double without overflow.
 */
export const NUMERIC_TEXT_PATTERN = '^[ \\t\\n\\r]*-?[0-9]{1,255}(\\.[0-9]{1,255})?[ \\t\\n\\r]*$';
const NUMERIC_TEXT = new RegExp(NUMERIC_TEXT_PATTERN);

/** Numbers are compared as doubles; beyond this magnitude a value is not treated as a number. */
export const NUMBER_LIMIT = 1e299;

/** The number a value stands for (a finite number, or numeric text), else undefined. */
export function numberValue(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && NUMERIC_TEXT.test(v) ? Number(v) : undefined;
  return n !== undefined && Math.abs(n) < NUMBER_LIMIT ? n : undefined;
}

/**
 * Text in data that counts as a date: `YYYY-MM-DD`, optionally with `THH:MM[:SS[.mmm]]` and then `Z` or
 * an offset up to ±15:59 (what PostgreSQL accepts). The day must exist in its month (see `validDay`) and
 * the year must not be 0000. A date alone is midnight UTC.
 */
export const DATE_TEXT_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9]))?$';
const DATE_TEXT = new RegExp(DATE_TEXT_PATTERN);

/** Whether day `d` exists in month `m` of year `y` (Gregorian leap years). */
export function validDay(y: number, m: number, d: number): boolean {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
}

/** The instant (ms) of date text found in data (DATE_TEXT_PATTERN), else undefined. */
export function dateTextInstant(v: unknown): number | undefined {
  if (typeof v !== 'string' || !DATE_TEXT.test(v)) return undefined;
  const y = Number(v.slice(0, 4));
  if (y === 0 || !validDay(y, Number(v.slice(5, 7)), Number(v.slice(8, 10)))) return undefined;
  return Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
}

/**
 * The instant of a date a rule compares against (its value: `2024-05-01`, `2024-05-01T10:00:00+02:00`),
 * else undefined. Read by JavaScript for both engines (SQL receives the instant), so it may be lenient.
 */
export function ruleValueInstant(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Equality of an actual value and a rule's value: numbers (numeric text included) by value, lists and
 * objects by content whatever the key order (as jsonb compares them), anything else strictly.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  const na = numberValue(a);
  const nb = numberValue(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return canonicalJson(a) === canonicalJson(b);
  }
  return false;
}
