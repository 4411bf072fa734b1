import { type SQL, sql } from 'drizzle-orm';
import { NON_REVENUE_ORDER_STATUSES } from './inputs';

// The one definition of a customer's order stats (orders count, total spent, AOV, first and last
// order): which orders count, how they add up, how AOV is rounded. Ingest's incremental update,
// its bulk recompute and the single-customer recompute all build on these fragments.

/** The statuses that keep an order out of the stats, as a text[] parameter. */
export const nonRevenue = () => sql`${sql.param([...NON_REVENUE_ORDER_STATUSES])}::text[]`;

/** Whether an order counts toward its customer's stats (columns of `alias`, or unqualified). */
export const countsTowardStats = (alias = ''): SQL => {
  const p = sql.raw(alias ? `${alias}.` : '');
  return sql`(${p}status <> all (${nonRevenue()}) and ${p}refunded_at is null)`;
};

/** AOV from a total and a count, rounded in SQL so it matches numeric(14,2) arithmetic, not float division. */
export const aovSql = (total: SQL, count: SQL): SQL =>
  sql`case when ${count} > 0 then round(${total} / ${count}, 2) else 0 end`;

/** One customer's stats from its orders: columns n, total, first, last. */
export const customerOrderStats = (workspaceId: SQL, customerId: SQL): SQL =>
  sql`select count(o.id)::int as n, coalesce(sum(o.total), 0) as total,
      min(o.placed_at) as first, max(o.placed_at) as last
    from orders o where o.workspace_id = ${workspaceId} and o.customer_id = ${customerId}
      and ${countsTowardStats('o')}`;
