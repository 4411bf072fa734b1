import type { Condition, Performed, Rule } from '@hourglass/journey';
import {
  expandedRuleSize,
  fieldKind,
  fieldPath,
  MAX_EXPANDED_CONDITIONS,
  tooComplexMessage,
} from '@hourglass/journey';
import { type SQL, sql } from 'drizzle-orm';

// Compiles the Rule language (from @hourglass/journey) to a SQL predicate over `customers`, matching
// evaluateRule's semantics: a missing field fails every operator but `neq`, numbers compare as numbers
// (numeric strings included), ISO dates compare as dates. Every leaf is coalesced to a boolean so `not`
// keeps two-valued logic. Values are always bound parameters.

/**
 * A rule the SQL compiler refuses. `code`: `rule_unsupported` (a field outside `customer.*`),
 * `rule.unknown_field`, or `segment.too_complex` (over MAX_EXPANDED_CONDITIONS once references expand).
 */
export class SegmentRuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly code: 'rule_unsupported' | 'rule.unknown_field' | 'segment.too_complex' = 'rule_unsupported',
  ) {
    super(message);
  }
}

/** Resolves `{segment: id}` to that segment's rule; undefined = unknown segment (never matches). */
export type SegmentResolver = (segmentId: string) => Rule | undefined;

type Kind = 'text' | 'number' | 'time' | 'tags' | 'json';
type Target = { kind: Kind; expr: SQL };

const col = (name: string) => sql.raw(`"customers"."${name}"`);

// An own-key Map: a field name is never looked up on what a plain object inherits (`constructor`).
const COLUMNS: ReadonlyMap<string, Target> = new Map([
  ['id', { kind: 'text', expr: sql`${col('id')}::text` }],
  ['externalId', { kind: 'text', expr: col('external_id') }],
  ['email', { kind: 'text', expr: col('email') }],
  ['phone', { kind: 'text', expr: col('phone') }],
  ['firstName', { kind: 'text', expr: col('first_name') }],
  ['lastName', { kind: 'text', expr: col('last_name') }],
  ['timezone', { kind: 'text', expr: col('timezone') }],
  ['timeZone', { kind: 'text', expr: col('timezone') }],
  ['locale', { kind: 'text', expr: col('locale') }],
  // A `date` column: compared as its 'YYYY-MM-DD' text, as evaluateRule sees it (and `~` works on text).
  ['birthday', { kind: 'text', expr: sql`${col('birthday')}::text` }],
  ['tags', { kind: 'tags', expr: col('tags') }],
  ['createdAt', { kind: 'time', expr: col('created_at') }],
  ['stats.ordersCount', { kind: 'number', expr: col('orders_count') }],
  ['stats.totalSpent', { kind: 'number', expr: col('total_spent') }],
  ['stats.aov', { kind: 'number', expr: col('aov') }],
  ['stats.firstOrderAt', { kind: 'time', expr: col('first_order_at') }],
  ['stats.lastOrderAt', { kind: 'time', expr: col('last_order_at') }],
] satisfies [string, Target][]);

const NUMERIC_TEXT = '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$';
const ISO_DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}';

function target(field: string): Target {
  const path = fieldPath(field);
  if (path[0] !== 'customer' || path.length < 2) {
    throw new SegmentRuleError(`segments can only use customer fields, not "${field}"`, field);
  }
  // The journey field catalog refuses unknown fields and `__proto__`-like segments, attributes included.
  if (!fieldKind(field))
    throw new SegmentRuleError(`unknown customer field "${field}"`, field, 'rule.unknown_field');
  const rest = path.slice(1);
  const known = COLUMNS.get(rest.join('.'));
  if (known) return known;
  if ((rest[0] === 'attributes' || rest[0] === 'consent') && rest.length >= 2) {
    const column = rest[0] === 'attributes' ? 'attributes' : 'consent';
    return { kind: 'json', expr: sql`(${col(column)} #> ${sql.param(rest.slice(1))}::text[])` };
  }
  throw new SegmentRuleError(`unknown customer field "${field}"`, field, 'rule.unknown_field');
}

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};
const isIsoDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);

const CMP = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function numberOf(t: Target): SQL {
  if (t.kind === 'number') return t.expr;
  if (t.kind === 'text') return sql`(case when ${t.expr} ~ ${NUMERIC_TEXT} then (${t.expr})::numeric end)`;
  if (t.kind === 'json')
    return sql`(case jsonb_typeof(${t.expr}) when 'number' then (${t.expr})::numeric when 'string' then (case when ${t.expr} #>> '{}' ~ ${NUMERIC_TEXT} then (${t.expr} #>> '{}')::numeric end) end)`;
  return sql`null::numeric`;
}

// Dates in text/json compare as ISO strings (no cast: a malformed date must fail, not raise an error).
function isoTextOf(t: Target): SQL {
  if (t.kind === 'time') return sql`to_char(${t.expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const text = t.kind === 'json' ? sql`(${t.expr} #>> '{}')` : t.kind === 'text' ? t.expr : sql`null::text`;
  return sql`(case when ${text} ~ ${ISO_DATE} then ${text} end)`;
}

function equals(t: Target, value: unknown): SQL {
  const n = asNumber(value);
  if (n !== undefined && t.kind !== 'tags') return sql`${numberOf(t)} = ${String(n)}::numeric`;
  if (value === null) return t.kind === 'json' ? sql`${t.expr} = 'null'::jsonb` : sql`${t.expr} is null`;
  switch (t.kind) {
    case 'text':
      return typeof value === 'string' ? sql`${t.expr} = ${value}` : sql`false`;
    case 'time':
      return isIsoDate(value) ? sql`${isoTextOf(t)} = ${value}` : sql`false`;
    case 'number':
      return sql`false`;
    case 'tags':
      return sql`to_jsonb(${t.expr}) = ${JSON.stringify(value)}::jsonb`;
    case 'json':
      return sql`${t.expr} = ${JSON.stringify(value)}::jsonb`;
  }
}

function leaf(c: Condition): SQL {
  const t = target(c.field);
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
      const n = asNumber(v);
      if (n !== undefined) return sql`${numberOf(t)} ${op} ${String(n)}::numeric`;
      if (isIsoDate(v)) return sql`${isoTextOf(t)} ${op} ${v}`;
      return sql`false`;
    }
    case 'contains':
      if (t.kind === 'tags') return typeof v === 'string' ? sql`${v} = any(${t.expr})` : sql`false`;
      if (t.kind === 'text')
        return typeof v === 'string' ? sql`strpos(lower(${t.expr}), lower(${v})) > 0` : sql`false`;
      if (t.kind === 'json') {
        const inString =
          typeof v === 'string'
            ? sql`(jsonb_typeof(${t.expr}) = 'string' and strpos(lower(${t.expr} #>> '{}'), lower(${v})) > 0)`
            : sql`false`;
        return sql`(${inString} or (jsonb_typeof(${t.expr}) = 'array' and ${t.expr} @> ${JSON.stringify([v])}::jsonb))`;
      }
      return sql`false`;
    case 'in': {
      if (!Array.isArray(v)) return sql`false`;
      if (v.length === 0) return sql`false`;
      if (t.kind === 'tags') return sql`${t.expr} && ${sql.param(v.map(String))}::text[]`;
      const parts = v.map((item) => equals(t, item));
      if (t.kind === 'json') {
        parts.push(
          sql`(jsonb_typeof(${t.expr}) = 'array' and exists (select 1 from jsonb_array_elements(${t.expr}) e where ${JSON.stringify(v)}::jsonb @> jsonb_build_array(e)))`,
        );
      }
      return sql`(${sql.join(parts, sql` or `)})`;
    }
  }
}

const sinceSql = (withinDays: number | null, column: SQL) =>
  withinDays === null ? sql`` : sql` and ${column} >= now() - make_interval(days => ${withinDays}::int)`;

/**
 * How many of the customer's events of a type fall in the window (`withinDays: null` = ever). Correlated
 * on `customers`; served by events_workspace_customer_idx (workspace_id, customer_id, occurred_at).
 */
export function performedCountSql(p: Pick<Performed, 'eventType' | 'withinDays'>): SQL {
  return sql`(select count(*) from events e where e.workspace_id = ${col('workspace_id')} and e.customer_id = ${col('id')} and e.type = ${p.eventType}${sinceSql(p.withinDays, sql.raw('e.occurred_at'))})`;
}

/** Where the compiled predicate runs: one customer (default), or a scan over a workspace's customers. */
export type RuleSqlOptions = { scan?: { workspaceId: string } };

function performedSql(p: Performed, opts: RuleSqlOptions): SQL {
  if (!opts.scan) return sql`(${performedCountSql(p)} >= ${p.atLeast}::int)`;
  // Over many customers, one pass over the type's events (events_workspace_type_idx) hashed into a set
  // beats a count per customer; for one customer the correlated count reads only that customer's events.
  return sql`(${col('id')} in (select e.customer_id from events e where e.workspace_id = ${opts.scan.workspaceId}::uuid and e.type = ${p.eventType} and e.customer_id is not null${sinceSql(p.withinDays, sql.raw('e.occurred_at'))} group by e.customer_id having count(*) >= ${p.atLeast}::int))`;
}

/**
 * Compiles a rule to a SQL predicate on the `customers` table. Throws SegmentRuleError. Pass `scan` when
 * the predicate filters many customers of one workspace (previews): same answers, cheaper plan. The
 * expanded size is counted first (cheap), so a rule over the budget never builds its SQL.
 */
export function ruleToSql(
  rule: Rule,
  resolve: SegmentResolver = () => undefined,
  opts: RuleSqlOptions = {},
): SQL {
  if (expandedRuleSize(rule, resolve) > MAX_EXPANDED_CONDITIONS) {
    throw new SegmentRuleError(tooComplexMessage('The rule'), undefined, 'segment.too_complex');
  }
  const walk = (r: Rule, seen: ReadonlySet<string>, depth: number): SQL => {
    if (depth > 64) throw new SegmentRuleError('rule nested too deeply');
    if ('all' in r) {
      if (r.all.length === 0) return sql`true`;
      return sql`(${sql.join(
        r.all.map((x) => walk(x, seen, depth + 1)),
        sql` and `,
      )})`;
    }
    if ('any' in r) {
      if (r.any.length === 0) return sql`false`;
      return sql`(${sql.join(
        r.any.map((x) => walk(x, seen, depth + 1)),
        sql` or `,
      )})`;
    }
    if ('not' in r) return sql`(not ${walk(r.not, seen, depth + 1)})`;
    if ('segment' in r) {
      const inner = seen.has(r.segment) ? undefined : resolve(r.segment);
      if (!inner) return sql`false`;
      return walk(inner, new Set([...seen, r.segment]), depth + 1);
    }
    if ('performed' in r) return performedSql(r.performed, opts);
    return sql`coalesce((${leaf(r)}), false)`;
  };
  return walk(rule, new Set(), 0);
}
