import type { CustomerFieldPath, FreeFormPath, Performed, Rule } from '@hourglass/journey';
import {
  expandedRuleSize,
  fieldKind,
  fieldPath,
  MAX_EXPANDED_CONDITIONS,
  tooComplexMessage,
} from '@hourglass/journey';
import { type SQL, sql } from 'drizzle-orm';
import { leaf, type Target } from './rule-sql-leaf';

// Compiles the Rule language (from @hourglass/journey) to a SQL predicate over `customers`, matching
// evaluateRule's semantics (each condition: ./rule-sql-leaf.ts). Every leaf is coalesced to a boolean so
// `not` keeps two-valued logic. Values are always bound parameters.

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

const col = (name: string) => sql.raw(`"customers"."${name}"`);

// Every typed customer field of the catalog, by its path: a field added to the catalog without a column
// here is a type error. Read through an own-key Map, never as a plain object's (inherited) keys.
const COLUMN_OF = {
  'customer.id': { kind: 'text', expr: sql`${col('id')}::text` },
  'customer.externalId': { kind: 'text', expr: col('external_id') },
  'customer.email': { kind: 'text', expr: col('email') },
  'customer.phone': { kind: 'text', expr: col('phone') },
  'customer.firstName': { kind: 'text', expr: col('first_name') },
  'customer.lastName': { kind: 'text', expr: col('last_name') },
  'customer.timezone': { kind: 'text', expr: col('timezone') },
  'customer.timeZone': { kind: 'text', expr: col('timezone') },
  'customer.locale': { kind: 'text', expr: col('locale') },
  // A `date` column: compared as its 'YYYY-MM-DD' text, as evaluateRule sees it (and `~` works on text).
  'customer.birthday': { kind: 'text', expr: sql`${col('birthday')}::text` },
  'customer.tags': { kind: 'tags', expr: col('tags') },
  'customer.createdAt': { kind: 'time', expr: col('created_at') },
  'customer.stats.ordersCount': { kind: 'number', expr: col('orders_count') },
  'customer.stats.totalSpent': { kind: 'number', expr: col('total_spent') },
  'customer.stats.aov': { kind: 'number', expr: col('aov') },
  'customer.stats.firstOrderAt': { kind: 'time', expr: col('first_order_at') },
  'customer.stats.lastOrderAt': { kind: 'time', expr: col('last_order_at') },
} satisfies Record<CustomerFieldPath, Target>;
const COLUMNS: ReadonlyMap<string, Target> = new Map(Object.entries(COLUMN_OF));

// The customer's free-form prefixes and their jsonb columns (keys below the prefix are a jsonb path).
const JSON_COLUMN_OF = {
  'customer.attributes': 'attributes',
  'customer.consent': 'consent',
} satisfies Record<Extract<FreeFormPath, `customer.${string}`>, string>;
const JSON_COLUMNS: ReadonlyMap<string, string> = new Map(Object.entries(JSON_COLUMN_OF));

function target(field: string): Target {
  const path = fieldPath(field);
  if (path[0] !== 'customer' || path.length < 2) {
    throw new SegmentRuleError(`segments can only use customer fields, not "${field}"`, field);
  }
  // The journey field catalog refuses unknown fields and `__proto__`-like segments, attributes included.
  if (!fieldKind(field))
    throw new SegmentRuleError(`unknown customer field "${field}"`, field, 'rule.unknown_field');
  const known = COLUMNS.get(path.join('.'));
  if (known) return known;
  const column = path.length >= 3 ? JSON_COLUMNS.get(path.slice(0, 2).join('.')) : undefined;
  if (column) return { kind: 'json', expr: sql`(${col(column)} #> ${sql.param(path.slice(2))}::text[])` };
  throw new SegmentRuleError(`unknown customer field "${field}"`, field, 'rule.unknown_field');
}

const sinceSql = (withinDays: number | null, column: SQL) =>
  withinDays === null ? sql`` : sql` and ${column} >= now() - make_interval(days => ${withinDays}::int)`;

/**
 * Whether the customer has at least `atLeast` events of a type in the window. Correlated on `customers`.
 * The probe stops at the `atLeast`-th event instead of counting them all (a heavy customer has thousands),
 * and events_workspace_customer_type_idx (workspace_id, customer_id, type, occurred_at) answers it from
 * the index alone.
 */
function performedAtLeastSql(p: Pick<Performed, 'eventType' | 'withinDays' | 'atLeast'>): SQL {
  return sql`((select count(*) from (select 1 from events e where e.workspace_id = ${col('workspace_id')} and e.customer_id = ${col('id')} and e.type = ${p.eventType}${sinceSql(p.withinDays, sql.raw('e.occurred_at'))} limit ${p.atLeast}::int) probe) >= ${p.atLeast}::int)`;
}

/** Where the compiled predicate runs: one customer (default), or a scan over a workspace's customers. */
export type RuleSqlOptions = { scan?: { workspaceId: string } };

function performedSql(p: Performed, opts: RuleSqlOptions): SQL {
  if (!opts.scan) return performedAtLeastSql(p);
  // Over many customers, one pass over the type's events (events_workspace_type_idx) hashed into a set
  // beats a probe per customer; for one customer the correlated probe reads a few index entries.
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
    return sql`coalesce((${leaf(target(r.field), r)}), false)`;
  };
  return walk(rule, new Set(), 0);
}
