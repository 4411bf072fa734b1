import type { DateTrigger } from '@hourglass/journey';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { BIRTHDAY_DAY, FIRST_ORDER_DAY } from '../../schema';

/** A customer due today (in their own time zone) for a date trigger. */
export type DueCustomer = { customerId: string; localDate: string };

const DAY = 86_400_000;

/**
 * The month-days (`month * 100 + day`) a source date can have for the trigger to be due somewhere on
 * Earth at `now`: local dates run from UTC − 12 h to UTC + 14 h, so the target is one of three days;
 * `spread` widens it for sources read in the customer's zone but indexed by their UTC date.
 */
function candidateDays(now: Date, offsetDays: number, spread: number): number[] {
  const days = new Set<number>();
  for (let k = -1 - spread; k <= 1 + spread; k++) {
    const d = new Date(now.getTime() + (k - offsetDays) * DAY);
    days.add((d.getUTCMonth() + 1) * 100 + d.getUTCDate());
  }
  // A UTC Feb 29 can be a Feb 28 or Mar 1 somewhere, in any year: keep it whenever its neighbours are in.
  if (days.has(228) || days.has(301)) days.add(229);
  return [...days];
}

/**
 * Customers for whom the trigger is due now: it is the trigger's day in the customer's time zone
 * (source date + offsetDays, anniversaries and birthdays by month and day) and the local time has
 * reached hour:minute. Keyset-paged by customer id. Callers dedupe by (journey, customer, localDate).
 */
export async function listDueCustomers(
  db: Executor,
  workspaceId: string,
  trigger: DateTrigger,
  opts: { after?: string; limit?: number; now?: Date } = {},
): Promise<DueCustomer[]> {
  const now = opts.now ?? new Date();
  const local = sql`(${now.toISOString()}::timestamptz at time zone coalesce(c.timezone, 'UTC'))`;
  const target = sql`((${local})::date - ${trigger.offsetDays}::int)`;
  const sameDay = (d: ReturnType<typeof sql>) =>
    sql`(extract(month from ${d}) = extract(month from ${target}) and extract(day from ${d}) = extract(day from ${target}))`;
  let match: ReturnType<typeof sql>;
  // The indexed month-day narrows a million customers to the few days that can be due (see schema).
  const near = (expr: string, spread: number) =>
    sql`${sql.raw(expr)} = any(${`{${candidateDays(now, trigger.offsetDays, spread).join(',')}}`}::int[])`;
  if (trigger.source === 'birthday') {
    match = sql`c.birthday is not null and ${near(BIRTHDAY_DAY, 0)} and ${sameDay(sql`c.birthday`)}`;
  } else if (trigger.source === 'first_order_anniversary') {
    const first = sql`(c.first_order_at at time zone coalesce(c.timezone, 'UTC'))::date`;
    match = sql`c.first_order_at is not null and ${near(FIRST_ORDER_DAY, 1)} and ${sameDay(first)} and extract(year from ${first}) < extract(year from ${target})`;
  } else {
    const value = sql`(c.attributes ->> ${trigger.attribute ?? ''})`;
    match = sql`${value} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' and left(${value}, 10) = to_char(${target}, 'YYYY-MM-DD')`;
  }
  const result = await db.execute<{ customer_id: string; local_date: string }>(sql`
    select c.id as customer_id, to_char((${local})::date, 'YYYY-MM-DD') as local_date
    from customers c
    where c.workspace_id = ${workspaceId}
      and (${local})::time >= make_time(${trigger.hour}::int, ${trigger.minute}::int, 0)
      and ${match}
      ${opts.after ? sql`and c.id > ${opts.after}::uuid` : sql``}
    order by c.id
    limit ${Math.min(opts.limit ?? 500, 5000)}`);
  return result.rows.map((r) => ({ customerId: r.customer_id, localDate: r.local_date }));
}

/** Ids of every workspace (the date tick walks them). */
export async function listWorkspaceIds(db: Executor): Promise<string[]> {
  const result = await db.execute<{ id: string }>(sql`select id from workspaces order by created_at, id`);
  return result.rows.map((r) => r.id);
}
