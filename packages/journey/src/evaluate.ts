import type { Json } from './json';
import { getField, type Performed, performedKey, type Rule, type RuleOp } from './rule';
import { dateTextInstant, numberValue, ruleValueInstant, valuesEqual } from './rule-values';

/** Data a rule is evaluated against: `{ customer, order, trigger, event }` as plain JSON. */
export type RuleContext = Record<string, unknown>;

/**
 * Why one condition passed or failed; `text` is what support staff read ("AOV 312.40 > 300"). A type,
 * not an interface, so a reason is a plain record wherever JSON records are expected (stored reasons).
 */
export type RuleReason = {
  field: string;
  op: RuleOp | 'in_segment' | 'performed';
  expected: Json | undefined;
  actual: Json | undefined;
  passed: boolean;
  text: string;
};

/** Outcome of `evaluateRule`. */
export interface RuleResult {
  result: boolean;
  reasons: RuleReason[];
}

/** Segment membership lookup: a map of segment id → member?, or a function. Unknown → not a member. */
export type SegmentLookup = Record<string, boolean> | ((segmentId: string) => boolean | undefined);

/**
 * Event counts for `performed` conditions: a map keyed by `performedKey` (event type + window), or a
 * function. Unknown → the condition fails with a reason saying the history was not available.
 */
export type PerformedLookup = Record<string, number> | ((p: Performed) => number | undefined);

/** Human labels for well-known fields, used in reason texts (a Map: a field never reads an inherited key). */
export const FIELD_LABELS: ReadonlyMap<string, string> = new Map([
  ['customer.stats.aov', 'AOV'],
  ['customer.stats.ordersCount', 'Orders'],
  ['customer.stats.totalSpent', 'Total spent'],
  ['customer.email', 'Email'],
  ['customer.tags', 'Tags'],
  ['order.total', 'Order total'],
  ['order.currency', 'Currency'],
]);

const OP_TEXT: Record<RuleOp, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  contains: 'contains',
  exists: 'exists',
  in: 'in',
  is_true: 'is true',
  is_false: 'is false',
};

// Numbers, dates and equality are defined in ./rule-values.ts, shared with segment SQL. An actual value
// is a date only in the strict form SQL can read too; a rule's own date value is read leniently.
function compare(actual: unknown, expected: unknown): number | undefined {
  const na = numberValue(actual);
  const nb = numberValue(expected);
  if (na !== undefined && nb !== undefined) return na - nb;
  const ta = dateTextInstant(actual);
  const tb = ruleValueInstant(expected);
  if (ta !== undefined && tb !== undefined) return ta - tb;
  return undefined;
}

/** Applies one operator. Missing fields fail every operator except `neq`. */
export function applyOp(op: RuleOp, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'is_true':
      return actual === true;
    case 'is_false':
      return actual === false;
    case 'eq':
      return valuesEqual(actual, expected);
    case 'neq':
      return !valuesEqual(actual, expected);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const c = compare(actual, expected);
      if (c === undefined) return false;
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
    }
    case 'contains':
      if (typeof actual === 'string' && typeof expected === 'string') {
        return actual.toLowerCase().includes(expected.toLowerCase());
      }
      return Array.isArray(actual) && actual.some((a) => valuesEqual(a, expected));
    case 'in': {
      if (!Array.isArray(expected)) return false;
      if (Array.isArray(actual)) return actual.some((a) => expected.some((e) => valuesEqual(a, e)));
      return expected.some((e) => valuesEqual(actual, e));
    }
  }
}

function show(v: unknown): string {
  if (v === undefined) return '(missing)';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function toJson(v: unknown): Json | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
}

function lookupSegment(segments: SegmentLookup | undefined, id: string): boolean {
  if (!segments) return false;
  if (typeof segments === 'function') return segments(id) === true;
  return Object.hasOwn(segments, id) && segments[id] === true;
}

function lookupCount(counts: PerformedLookup | undefined, p: Performed): number | undefined {
  if (!counts) return undefined;
  const key = performedKey(p);
  const n = typeof counts === 'function' ? counts(p) : Object.hasOwn(counts, key) ? counts[key] : undefined;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function performedReason(p: Performed, counts: PerformedLookup | undefined): RuleReason {
  const n = lookupCount(counts, p);
  const passed = n !== undefined && n >= p.atLeast;
  const window =
    p.withinDays === null ? 'ever' : `in the last ${p.withinDays} day${p.withinDays === 1 ? '' : 's'}`;
  const times = n === undefined ? 'unknown times (no event history here)' : `${n} time${n === 1 ? '' : 's'}`;
  return {
    field: `performed.${p.eventType}`,
    op: 'performed',
    expected: p.atLeast,
    actual: n ?? null,
    passed,
    text: `performed ${p.eventType} ${times} ${window} (at least ${p.atLeast})${passed ? '' : ' (no)'}`,
  };
}

/**
 * Evaluates a rule against plain data. Pure and total: never throws, missing data is simply a failed
 * condition. Every condition is evaluated (no short-circuit) so the reasons list is complete.
 */
export function evaluateRule(
  rule: Rule,
  context: RuleContext,
  segments?: SegmentLookup,
  counts?: PerformedLookup,
): RuleResult {
  const reasons: RuleReason[] = [];
  const walk = (r: Rule): boolean => {
    if ('all' in r) return r.all.map(walk).every(Boolean);
    if ('any' in r) return r.any.map(walk).some(Boolean);
    if ('not' in r) return !walk(r.not);
    if ('segment' in r) {
      const passed = lookupSegment(segments, r.segment);
      reasons.push({
        field: 'segment',
        op: 'in_segment',
        expected: r.segment,
        actual: passed,
        passed,
        text: `${passed ? 'in' : 'not in'} segment ${r.segment}`,
      });
      return passed;
    }
    if ('performed' in r) {
      const reason = performedReason(r.performed, counts);
      reasons.push(reason);
      return reason.passed;
    }
    const actual = getField(context, r.field);
    const passed = applyOp(r.op, actual, r.value);
    const label = FIELD_LABELS.get(r.field) ?? r.field;
    const valueText = r.value === undefined ? '' : ` ${show(r.value)}`;
    reasons.push({
      field: r.field,
      op: r.op,
      expected: toJson(r.value),
      actual: toJson(actual),
      passed,
      text: `${label} ${show(actual)} ${OP_TEXT[r.op]}${valueText}${passed ? '' : ' (no)'}`.trim(),
    });
    return passed;
  };
  const result = walk(rule);
  return { result, reasons };
}
