import { type AnyColumn, and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { events, journeyRuns, journeys, orders } from '../../schema';
import type { RunWithJourney } from '../runs/support';
import type { Event } from './events';
import type { Order } from './orders';

// The lists of a customer profile (orders, events, runs), newest first, one page at a time: a heavy
// shopper has thousands of each. Keyset paging on (time, id) keeps every page an index read however
// deep it is, and rows arriving meanwhile never shift a page (no duplicates or gaps, unlike offsets).

/**
 * Where the next page starts: the last row's sort time with PostgreSQL's microseconds (a JS Date keeps
 * milliseconds only, which would skip rows between the two) as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, and its id.
 */
export type PageKey = { at: string; id: string };

/** One page of a list, and the key of the next one (null: this is the last page). */
export type Page<T> = { items: T[]; next: PageKey | null };

/** Page sizes of the profile's lists: what the profile answers, and the most one request may ask for. */
export const PROFILE_PAGE = { default: 50, max: 200 } as const;

const keyOf = (time: AnyColumn) =>
  sql<string>`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// Rows after the key in (time desc, id desc) order. The time bound alone is what the index narrows on.
function after(time: AnyColumn, id: AnyColumn, key: PageKey | undefined): SQL | undefined {
  if (!key) return undefined;
  const at = sql`${key.at}::timestamptz`;
  return sql`(${time} <= ${at} and (${time} < ${at} or ${id} < ${key.id}))`;
}

// One row more than the page tells whether there is a next page.
function page<R extends { at: string; id: string }, T>(rows: R[], limit: number, item: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items: items.map(item), next: last ? { at: last.at, id: last.id } : null };
}

type PageOpts = { limit?: number | undefined; before?: PageKey | undefined };
const size = (opts: PageOpts) => Math.min(Math.max(1, opts.limit ?? PROFILE_PAGE.default), PROFILE_PAGE.max);

/** A page of the customer's orders, newest placed first. */
export async function customerOrdersPage(
  db: Executor,
  workspaceId: string,
  customerId: string,
  opts: PageOpts = {},
): Promise<Page<Order>> {
  const limit = size(opts);
  const rows = await db
    .select({ order: orders, at: keyOf(orders.placedAt), id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.workspaceId, workspaceId),
        eq(orders.customerId, customerId),
        after(orders.placedAt, orders.id, opts.before),
      ),
    )
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => r.order);
}

/** A page of the customer's events, newest occurred first. */
export async function customerEventsPage(
  db: Executor,
  workspaceId: string,
  customerId: string,
  opts: PageOpts = {},
): Promise<Page<Event>> {
  const limit = size(opts);
  const rows = await db
    .select({ event: events, at: keyOf(events.occurredAt), id: events.id })
    .from(events)
    .where(
      and(
        eq(events.workspaceId, workspaceId),
        eq(events.customerId, customerId),
        after(events.occurredAt, events.id, opts.before),
      ),
    )
    .orderBy(desc(events.occurredAt), desc(events.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => r.event);
}

/** A page of the customer's runs, newest started first, with journey names. */
export async function customerRunsPage(
  db: Executor,
  workspaceId: string,
  customerId: string,
  opts: PageOpts = {},
): Promise<Page<RunWithJourney>> {
  const limit = size(opts);
  const rows = await db
    .select({
      run: journeyRuns,
      journeyName: journeys.name,
      at: keyOf(journeyRuns.startedAt),
      id: journeyRuns.id,
    })
    .from(journeyRuns)
    .innerJoin(
      journeys,
      and(eq(journeys.workspaceId, journeyRuns.workspaceId), eq(journeys.id, journeyRuns.journeyId)),
    )
    .where(
      and(
        eq(journeyRuns.workspaceId, workspaceId),
        eq(journeyRuns.customerId, customerId),
        after(journeyRuns.startedAt, journeyRuns.id, opts.before),
      ),
    )
    .orderBy(desc(journeyRuns.startedAt), desc(journeyRuns.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => ({ ...r.run, journeyName: r.journeyName }));
}
