// Redemption of discount codes by an order, as part of ingest's apply statement (ingest-sql.ts): the
// order upsert, the redemption and the run's conversion commit together, in one statement. Only events
// whose order carries codes get these CTEs (their own statement shape), so every other event pays nothing.
import { type SQL, sql } from 'drizzle-orm';

/** Longest discount code an order may carry (the events API refuses longer ones). */
export const MAX_ORDER_CODE_LENGTH = 100;

/**
 * An order's codes as stored: trimmed, empty ones dropped, repeats (compared case-insensitively, as
 * codes are) kept once in the spelling first seen. Undefined stays undefined: the stored codes stay.
 */
export function normalizeOrderCodes(codes: readonly string[] | undefined): string[] | undefined {
  if (codes === undefined) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of codes) {
    const code = raw.trim();
    const key = code.toUpperCase();
    if (!code || seen.has(key)) continue;
    seen.add(key);
    out.push(code);
  }
  return out;
}

/**
 * CTEs `red` (the codes redeemed) and `conv` (the runs they convert), reading the upserted order from
 * CTE `d` (order_id, customer_id, total, placed_at; empty when the event was a duplicate, so a re-sent
 * event changes nothing) and the upper-cased codes from placeholder `codesUpper`.
 *
 * A code is redeemed once, by an order of the customer it was made for, placed before it expired:
 * codes are personal (a journey makes one for one customer), so another shopper's order carrying it
 * neither redeems it nor credits that customer's run. The redemption time is the order's placed time
 * (codes are applied at checkout, even when the shop reports them on a later event). The run that made
 * the code converts at that time with the order's total as revenue, unless it had converted already
 * (first conversion wins, as for goals). Concurrent orders redeeming one code: the second re-checks
 * `redeemed_at is null` on the row the first updated and skips it.
 *
 * A statement with these CTEs is planned on every call, never prepared (ingest-sql.ts gives it no
 * name): a generic plan made while discount_codes and journey_runs were small picks a walk of the
 * workspace's codes or runs over the lookups below and keeps it (redeem-plans.test.ts), while a plan
 * made with the call's values looks each code up on the (workspace_id, upper(code)) unique index and
 * each run by its primary key. Only orders that carry codes pay that planning.
 */
export function redeemCtes(ws: SQL): SQL {
  return sql`red as (
  update discount_codes dc set redeemed_at = d.placed_at, redeemed_order_id = d.order_id
  from d
  where dc.workspace_id = ${ws} and upper(dc.code) = any(${sql.placeholder('codesUpper')}::text[])
    and dc.customer_id = d.customer_id and dc.redeemed_at is null
    and (dc.expires_at is null or dc.expires_at > d.placed_at)
  returning dc.run_id, dc.redeemed_at
),
conv as (
  update journey_runs r set converted_at = c.at, revenue = d.total, updated_at = now()
  from d, (select run_id, min(redeemed_at) as at from red where run_id is not null group by run_id) c
  where r.id = c.run_id and r.workspace_id = ${ws} and r.converted_at is null
  returning r.id
)`;
}
