import type { Rule } from '@hourglass/journey';
import { and, desc, eq, gte, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { customers, events, orders } from '../../schema';
import type { Customer } from '../customers/customers';
import type { Event } from '../customers/events';
import type { Order } from '../customers/orders';
import { ruleToSql, type SegmentResolver } from '../segments/segment-sql';

// What a journey's audience estimate reads: who had the trigger event lately, each one's latest such
// event (with customer and order, for the trigger filter, which routing evaluates in memory), and how
// many of a set of customers are in the entry segment now. The caller bounds the time (withTimeout).

/** Whose trigger events count: the type, how far back, and whether the event must name an order. */
export interface TriggerWindow {
  eventType: string;
  windowDays: number;
  /** Order-scoped journeys only start on events that name an order. */
  needsOrder: boolean;
}

/** A statement cancelled by `withTimeout`'s statement_timeout (PostgreSQL's query_canceled). */
export class QueryTimeoutError extends Error {}

/**
 * Runs `fn` in a read transaction whose statements are each cancelled after `ms`: a costly rule answers
 * QueryTimeoutError instead of holding a connection.
 */
export async function withTimeout<T>(db: Executor, ms: number, fn: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      // SET takes no parameters; `ms` is a number we round ourselves.
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.round(ms))}`));
      return fn(tx);
    });
  } catch (err) {
    const code =
      (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (code === '57014') throw new QueryTimeoutError('The query took too long');
    throw err;
  }
}

function windowWhere(workspaceId: string, w: TriggerWindow): SQL {
  return and(
    eq(events.workspaceId, workspaceId),
    eq(events.type, w.eventType),
    isNotNull(events.customerId),
    gte(events.occurredAt, sql`now() - make_interval(days => ${w.windowDays}::int)`),
    w.needsOrder ? isNotNull(events.orderId) : undefined,
  )!;
}

/** How many customers had the trigger event in the window (events_workspace_type_idx). */
export async function countTriggerCustomers(
  db: Executor,
  workspaceId: string,
  w: TriggerWindow,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${events.customerId})::int` })
    .from(events)
    .where(windowWhere(workspaceId, w));
  return row?.n ?? 0;
}

/**
 * Each customer's latest trigger event in the window, with the customer and the event's order: at most
 * `limit` customers, taken in an order unrelated to when they joined or bought (a hash of their id), so
 * a limited list is a fair sample of the whole.
 */
export async function latestTriggerEvents(
  db: Executor,
  workspaceId: string,
  w: TriggerWindow,
  limit: number,
): Promise<{ event: Event; customer: Customer; order: Order | null }[]> {
  const latest = db
    .selectDistinctOn([events.customerId], { id: events.id, customerId: events.customerId })
    .from(events)
    .where(windowWhere(workspaceId, w))
    .orderBy(events.customerId, desc(events.occurredAt), desc(events.id))
    .as('latest');
  return db
    .select({ event: events, customer: customers, order: orders })
    .from(latest)
    .innerJoin(events, and(eq(events.workspaceId, workspaceId), eq(events.id, latest.id)))
    .innerJoin(customers, and(eq(customers.workspaceId, workspaceId), eq(customers.id, events.customerId)))
    .leftJoin(orders, and(eq(orders.workspaceId, workspaceId), eq(orders.id, events.orderId)))
    .orderBy(sql`md5(${latest.customerId}::text)`)
    .limit(limit);
}

/**
 * How many customers match `rule` now: among `ids`, or (`ids` null) among everyone who had the trigger
 * event in the window, or (`window` null too) among all the workspace's customers.
 */
export async function countCustomersMatching(
  db: Executor,
  workspaceId: string,
  rule: Rule,
  resolve: SegmentResolver,
  among: { ids: readonly string[] } | { window: TriggerWindow } | 'everyone',
): Promise<number> {
  if (typeof among === 'object' && 'ids' in among && among.ids.length === 0) return 0;
  const who =
    among === 'everyone'
      ? undefined
      : 'ids' in among
        ? inArray(customers.id, [...among.ids])
        : inArray(
            customers.id,
            db
              .selectDistinct({ id: events.customerId })
              .from(events)
              .where(windowWhere(workspaceId, among.window)),
          );
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(customers)
    .where(
      and(eq(customers.workspaceId, workspaceId), who, ruleToSql(rule, resolve, { scan: { workspaceId } })),
    );
  return row?.n ?? 0;
}
