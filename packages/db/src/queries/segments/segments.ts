import { type Performed, performedKey, type Rule } from '@hourglass/journey';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { customers, events, segments } from '../../schema';
import { ruleToSql, type SegmentResolver } from './segment-sql';

/** A segment row. */
export type Segment = typeof segments.$inferSelect;

/** Creates a segment. */
export async function createSegment(
  db: Executor,
  workspaceId: string,
  input: { name: string; description?: string; rule: Rule },
): Promise<Segment> {
  const [row] = await db
    .insert(segments)
    .values({ workspaceId, name: input.name, description: input.description ?? '', rule: input.rule })
    .returning();
  return row!;
}

/** The segment with this id in the workspace, or null. */
export async function getSegment(
  db: Executor,
  workspaceId: string,
  segmentId: string,
): Promise<Segment | null> {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  return row ?? null;
}

/** The workspace's segments by name. */
export async function listSegments(db: Executor, workspaceId: string): Promise<Segment[]> {
  return db
    .select()
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId))
    .orderBy(asc(segments.name), desc(segments.createdAt));
}

/** Updates a segment; null when it is not in the workspace. */
export async function updateSegment(
  db: Executor,
  workspaceId: string,
  segmentId: string,
  patch: { name?: string; description?: string; rule?: Rule },
): Promise<Segment | null> {
  const [row] = await db
    .update(segments)
    .set({ name: patch.name, description: patch.description, rule: patch.rule, updatedAt: new Date() })
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)))
    .returning();
  return row ?? null;
}

/** Deletes a segment; false when it is not in the workspace. */
export async function deleteSegment(db: Executor, workspaceId: string, segmentId: string): Promise<boolean> {
  const rows = await db
    .delete(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)))
    .returning({ id: segments.id });
  return rows.length > 0;
}

/** Loads every segment of the workspace as a resolver for `{segment: id}` references. */
export async function segmentResolver(db: Executor, workspaceId: string): Promise<SegmentResolver> {
  const rows = await db
    .select({ id: segments.id, rule: segments.rule })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  const byId = new Map(rows.map((r) => [r.id, r.rule]));
  return (id) => byId.get(id);
}

/** Whether one customer matches a rule (one indexed lookup: used by branches and entry rules). */
export async function customerMatchesRule(
  db: Executor,
  workspaceId: string,
  customerId: string,
  rule: Rule,
  resolve?: SegmentResolver,
): Promise<boolean> {
  const rows = await customerMatchesRuleQuery(
    db,
    workspaceId,
    customerId,
    rule,
    resolve ?? (await segmentResolver(db, workspaceId)),
  );
  return rows.length > 0;
}

/** The query behind customerMatchesRule, unexecuted (plan tests EXPLAIN it). */
export function customerMatchesRuleQuery(
  db: Executor,
  workspaceId: string,
  customerId: string,
  rule: Rule,
  resolve: SegmentResolver,
) {
  return db
    .select({ one: sql<number>`1` })
    .from(customers)
    .where(
      and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId), ruleToSql(rule, resolve)),
    );
}

/** Whether one customer is in a segment; false for an unknown segment. */
export async function customerInSegment(
  db: Executor,
  workspaceId: string,
  segmentId: string,
  customerId: string,
): Promise<boolean> {
  const resolve = await segmentResolver(db, workspaceId);
  const rule = resolve(segmentId);
  if (!rule) return false;
  return customerMatchesRule(db, workspaceId, customerId, rule, resolve);
}

/** The two queries of a segment preview, unexecuted (plan tests EXPLAIN them). */
export function previewRuleQueries(
  db: Executor,
  workspaceId: string,
  rule: Rule,
  resolve: SegmentResolver,
  sampleSize = 10,
) {
  const where = and(
    eq(customers.workspaceId, workspaceId),
    ruleToSql(rule, resolve, { scan: { workspaceId } }),
  );
  return {
    count: db.select({ n: sql<number>`count(*)::int` }).from(customers).where(where),
    sample: db
      .select({
        id: customers.id,
        email: customers.email,
        firstName: customers.firstName,
        lastName: customers.lastName,
      })
      .from(customers)
      .where(where)
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(Math.min(sampleSize, 100)),
  };
}

/** Count and a sample of the customers matching a rule (segment previews). */
export async function previewRule(
  db: Executor,
  workspaceId: string,
  rule: Rule,
  opts: { sample?: number; resolve?: SegmentResolver } = {},
): Promise<{
  count: number;
  sample: { id: string; email: string | null; firstName: string | null; lastName: string | null }[];
}> {
  const q = previewRuleQueries(
    db,
    workspaceId,
    rule,
    opts.resolve ?? (await segmentResolver(db, workspaceId)),
    opts.sample,
  );
  const [counted, sample] = await Promise.all([q.count, q.sample]);
  return { count: counted[0]?.n ?? 0, sample };
}

/**
 * One customer's event counts for `performed` conditions, keyed by `performedKey` (type + window), in
 * one query: what branches hand to evaluateRule so its reasons can say "performed X 2 times".
 */
export async function performedCounts(
  db: Executor,
  workspaceId: string,
  customerId: string,
  wanted: readonly Pick<Performed, 'eventType' | 'withinDays'>[],
): Promise<Record<string, number>> {
  const distinct = [...new Map(wanted.map((p) => [performedKey(p), p])).entries()];
  if (distinct.length === 0) return {};
  const columns = distinct.map(([, p]) => {
    const window =
      p.withinDays === null
        ? sql``
        : sql` and ${events.occurredAt} >= now() - make_interval(days => ${p.withinDays}::int)`;
    return sql`count(*) filter (where ${events.type} = ${p.eventType}${window})::int`;
  });
  const types = [...new Set(distinct.map(([, p]) => p.eventType))];
  const rows = await db.execute<Record<string, number | string>>(
    sql`select ${sql.join(
      columns.map((c, i) => sql`${c} as ${sql.raw(`"c${i}"`)}`),
      sql`, `,
    )} from ${events} where ${and(eq(events.workspaceId, workspaceId), eq(events.customerId, customerId), inArray(events.type, types))}`,
  );
  const row = rows.rows[0];
  return Object.fromEntries(distinct.map(([key], i) => [key, Number(row?.[`c${i}`] ?? 0)]));
}
