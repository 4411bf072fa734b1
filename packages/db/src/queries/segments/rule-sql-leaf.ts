import {
  type Condition,
  DATE_TEXT_PATTERN,
  NUMBER_LIMIT,
  NUMERIC_TEXT_PATTERN,
  numberValue,
  ruleValueInstant,
} from '@hourglass/journey';
import { type SQL, sql } from 'drizzle-orm';

// One condition of a rule as a SQL predicate, with evaluateRule's semantics as written in
// @hourglass/journey rule-values.ts: numbers compare as doubles (numeric text included), date text in
// data compares as an instant when it has the strict form both engines read, equality of lists and
// objects is by content, `contains` ignores case the way JavaScript's toLowerCase does (ICU root
// locale), and a missing field fails every operator but `neq`. Values are always bound parameters.
// segment-agreement.test.ts checks the two engines against each other on random data.

/** How a target's values are stored: a text column, number, timestamptz, text[] or jsonb. */
export type Kind = 'text' | 'number' | 'time' | 'tags' | 'json';
/** A field as SQL reads it. */
export type Target = { kind: Kind; expr: SQL };

const CMP = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

// Binds `value` once as `s` for an expression that reads it several times.
const bound = (value: SQL, body: SQL) => sql`(select ${body} from (select ${value} as s) as v)`;
const S = sql.raw('v.s');

/** A double of at most NUMBER_LIMIT in magnitude, or null. */
const limited = (double: SQL) =>
  bound(double, sql`case when abs(${S}) < ${String(NUMBER_LIMIT)}::float8 then ${S} end`);

/** Numeric text as a double (the pattern bounds its digits, so the cast cannot overflow), else null. */
const textNumber = (text: SQL) =>
  bound(text, sql`case when ${S} ~ ${NUMERIC_TEXT_PATTERN} then ${limited(sql`(${S})::float8`)} end`);

// A day that exists in its month; the digits are checked by the pattern first (CASE keeps the order).
const monthDays = sql`case substr(${S}, 6, 2) when '02' then (case when substr(${S}, 1, 4)::int % 4 = 0 and (substr(${S}, 1, 4)::int % 100 <> 0 or substr(${S}, 1, 4)::int % 400 = 0) then 29 else 28 end) when '04' then 30 when '06' then 30 when '09' then 30 when '11' then 30 else 31 end`;

/** Date text in the strict form as an instant (a date alone is midnight UTC), else null; never raises. */
const textInstant = (text: SQL) =>
  bound(
    text,
    sql`case when ${S} ~ ${DATE_TEXT_PATTERN} then (case when substr(${S}, 1, 4) <> '0000' and substr(${S}, 9, 2)::int <= (${monthDays}) then (case when length(${S}) = 10 then ${S} || 'T00:00:00Z' else ${S} end)::timestamptz end) end`,
  );

const jsonText = (expr: SQL) => sql`(case when jsonb_typeof(${expr}) = 'string' then ${expr} #>> '{}' end)`;

function numberOf(t: Target): SQL {
  if (t.kind === 'number') return sql`(${t.expr})::float8`;
  if (t.kind === 'text') return textNumber(t.expr);
  if (t.kind === 'json')
    // jsonb numbers beyond a double's range are not numbers (JSON.parse makes them Infinity).
    return sql`(case jsonb_typeof(${t.expr}) when 'number' then (case when abs((${t.expr})::numeric) < 1e300 then ${limited(sql`(${t.expr})::numeric::float8`)} end) when 'string' then ${textNumber(sql`${t.expr} #>> '{}'`)} end)`;
  return sql`null::float8`;
}

// JavaScript sees timestamps to the millisecond (truncated), so SQL compares them so too.
function instantOf(t: Target): SQL {
  if (t.kind === 'time') return sql`date_trunc('milliseconds', ${t.expr})`;
  if (t.kind === 'text') return textInstant(t.expr);
  if (t.kind === 'json') return textInstant(jsonText(t.expr));
  return sql`null::timestamptz`;
}

/** The rule value's instant as timestamptz text; before year 1 / after 9999 as -infinity / infinity. */
function instantParam(ms: number): SQL {
  const text = ms < FIRST_INSTANT ? '-infinity' : ms > LAST_INSTANT ? 'infinity' : new Date(ms).toISOString();
  return sql`${text}::timestamptz`;
}

const lower = (text: SQL) => sql`lower((${text})::text collate "und-x-icu")`;

/** `valuesEqual(actual, value)` of rule-values.ts. */
function equals(t: Target, value: unknown): SQL {
  const n = numberValue(value);
  if (n !== undefined && t.kind !== 'tags') return sql`${numberOf(t)} = ${String(n)}::float8`;
  if (value === null) return t.kind === 'json' ? sql`${t.expr} = 'null'::jsonb` : sql`${t.expr} is null`;
  switch (t.kind) {
    case 'text':
      return typeof value === 'string' ? sql`${t.expr} = ${value}` : sql`false`;
    case 'time':
      return typeof value === 'string'
        ? sql`to_char(${t.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') = ${value}`
        : sql`false`;
    case 'number':
      return sql`false`;
    case 'tags':
      return sql`to_jsonb(${t.expr}) = ${JSON.stringify(value)}::jsonb`;
    case 'json':
      return sql`${t.expr} = ${JSON.stringify(value)}::jsonb`;
  }
}

/** Some element of a text[] or jsonb array equals one of `values`. */
function someElement(t: Target, values: readonly unknown[]): SQL {
  const kind = t.kind === 'tags' ? 'text' : 'json';
  const x: Target = { kind, expr: sql.raw('x.e') };
  const match = sql.join(
    values.map((v) => equals(x, v)),
    sql` or `,
  );
  return t.kind === 'tags'
    ? sql`exists (select 1 from unnest(${t.expr}) as x(e) where ${match})`
    : sql`(jsonb_typeof(${t.expr}) = 'array' and exists (select 1 from jsonb_array_elements(${t.expr}) as x(e) where ${match}))`;
}

/** One condition as a predicate (may be null where evaluateRule says false: the caller coalesces). */
export function leaf(t: Target, c: Condition): SQL {
  const v = c.value;
  switch (c.op) {
    case 'exists':
      return t.kind === 'json'
        ? sql`(${t.expr} is not null and ${t.expr} <> 'null'::jsonb)`
        : sql`${t.expr} is not null`;
    case 'is_true':
      return t.kind === 'json' ? sql`${t.expr} = 'true'::jsonb` : sql`false`;
    case 'is_false':
      return t.kind === 'json' ? sql`${t.expr} = 'false'::jsonb` : sql`false`;
    case 'eq':
      return equals(t, v);
    case 'neq':
      return sql`not coalesce(${equals(t, v)}, false)`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = sql.raw(CMP[c.op]);
      const n = numberValue(v);
      if (n !== undefined) return sql`${numberOf(t)} ${op} ${String(n)}::float8`;
      const at = ruleValueInstant(v);
      return at === undefined ? sql`false` : sql`${instantOf(t)} ${op} ${instantParam(at)}`;
    }
    case 'contains':
      if (t.kind === 'tags') {
        // A numeric tag matches a numeric value by number ("10.0" contains 10), as in memory.
        if (numberValue(v) !== undefined) return someElement(t, [v]);
        return typeof v === 'string' ? sql`${v} = any(${t.expr})` : sql`false`;
      }
      if (t.kind === 'text')
        return typeof v === 'string' ? sql`strpos(${lower(t.expr)}, ${lower(sql`${v}`)}) > 0` : sql`false`;
      if (t.kind === 'json') {
        const inString =
          typeof v === 'string'
            ? sql`(jsonb_typeof(${t.expr}) = 'string' and strpos(${lower(sql`${t.expr} #>> '{}'`)}, ${lower(sql`${v}`)}) > 0)`
            : sql`false`;
        return sql`(${inString} or ${someElement(t, [v])})`;
      }
      return sql`false`;
    case 'in': {
      if (!Array.isArray(v) || v.length === 0) return sql`false`;
      if (t.kind === 'tags') {
        if (v.every((x) => typeof x === 'string' && numberValue(x) === undefined))
          return sql`${t.expr} && ${sql.param(v)}::text[]`;
        return someElement(t, v);
      }
      const whole = sql.join(
        v.map((item) => equals(t, item)),
        sql` or `,
      );
      // A list is in the values when one of its elements is (never the list as a whole).
      if (t.kind === 'json')
        return sql`(case when jsonb_typeof(${t.expr}) = 'array' then ${someElement(t, v)} else (${whole}) end)`;
      return sql`(${whole})`;
    }
  }
}
