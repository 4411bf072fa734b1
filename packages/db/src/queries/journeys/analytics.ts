import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';

// Journey analytics computed in SQL from journey_runs, run_steps and messages. The cohort is the
// runs that STARTED in [from, to); every step and message counted belongs to one of those runs, so
// the numbers reconcile with the raw records (test/api/analytics.test.ts checks it).

/** Message statuses that mean the provider accepted the message and it reached the recipient. */
export const DELIVERED_STATUSES = ['delivered', 'opened', 'clicked', 'complained'] as const;
/** Message statuses that mean it did not get through. */
export const FAILED_STATUSES = ['failed', 'bounced', 'undelivered'] as const;

/** Journey-level totals over a cohort of runs. */
export type JourneyTotals = {
  entries: number;
  active: number;
  completions: number;
  exited: number;
  failed: number;
  cancelled: number;
  conversions: number;
  revenue: number;
};

/** Per-node counts over a cohort of runs. */
export type NodeCounts = {
  nodeId: string;
  entered: number;
  waiting: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  /** Messages answered by SMS (an `sms.replied` event about them). */
  replied: number;
  /** Messages after which their address unsubscribed (or texted STOP) before getting another one. */
  unsubscribed: number;
  failed: number;
  /** Conversions attributed to the node's messages (see nodeCounts), and their revenue. */
  conversions: number;
  revenue: number;
  skipped: Record<string, number>;
  ports: Record<string, number>;
};

/** Cohort filter. */
export type AnalyticsRange = { from: Date; to: Date; version?: number | undefined };

const cohort = (workspaceId: string, journeyId: string, r: AnalyticsRange) => sql`
  select r.* from journey_runs r
  where r.workspace_id = ${workspaceId} and r.journey_id = ${journeyId}
    and r.started_at >= ${r.from.toISOString()} and r.started_at < ${r.to.toISOString()}
    ${r.version ? sql`and r.version = ${r.version}` : sql``}`;

const n = (v: unknown) => Number(v ?? 0);

/** Whether an engagement event of one of `types` is about message `m` (events carry its id). */
const engaged = (workspaceId: string, types: string[]) => sql`exists (
  select 1 from events e
  where e.workspace_id = ${workspaceId} and e.type in (${sql.join(
    types.map((t) => sql`${t}`),
    sql`, `,
  )}) and e.properties->>'messageId' = m.id::text)`;

/** The cohort's runs (`runs`) that count as conversions: see journeyTotals. */
const converted = sql`
  select r.id, r.revenue, r.converted_at from runs r
  join journey_versions v on v.workspace_id = r.workspace_id and v.journey_id = r.journey_id and v.version = r.version
  where r.converted_at is not null and ((
    v.plan->'goal' is not null and jsonb_typeof(v.plan->'goal') = 'object'
    and r.converted_at <= r.started_at + ((v.plan->'goal'->>'windowHours')::numeric * interval '1 hour')
  ) or exists (
    select 1 from discount_codes dc
    where dc.workspace_id = r.workspace_id and dc.run_id = r.id and dc.redeemed_at is not null
  ))`;

/**
 * Totals. A conversion counts if it happened within the goal window of the version the run was pinned
 * to (the engine credits only in-window goals; this keeps the report honest regardless), or if an order
 * redeemed a discount code the run made (the code's expiry is that conversion's window; see
 * queries/discounts/redeem-sql.ts).
 */
export async function journeyTotals(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  range: AnalyticsRange,
): Promise<JourneyTotals> {
  const res = await db.execute<Record<string, unknown>>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)}),
    conv as (${converted})
    select
      (select count(*) from runs) as entries,
      (select count(*) from runs where status in ('running', 'waiting')) as active,
      (select count(*) from runs where status = 'completed') as completions,
      (select count(*) from runs where status = 'exited') as exited,
      (select count(*) from runs where status = 'failed') as failed,
      (select count(*) from runs where status = 'cancelled') as cancelled,
      (select count(*) from conv) as conversions,
      (select coalesce(sum(revenue), 0) from conv) as revenue`);
  const row = res.rows[0] ?? {};
  return {
    entries: n(row.entries),
    active: n(row.active),
    completions: n(row.completions),
    exited: n(row.exited),
    failed: n(row.failed),
    cancelled: n(row.cancelled),
    conversions: n(row.conversions),
    revenue: Math.round(n(row.revenue) * 100) / 100,
  };
}

/**
 * Per-node counts: steps entered, runs parked here, messages by status, skips by reason, ports taken, and
 * the conversions (with revenue) whose run last received a message from the node before converting.
 */
export async function nodeCounts(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  range: AnalyticsRange,
): Promise<NodeCounts[]> {
  const steps = await db.execute<Record<string, unknown>>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)})
    select s.node_id,
      count(*) as entered,
      count(distinct r.id) filter (where r.status = 'waiting' and r.current_step = s.step_id and s.finished_at is null) as waiting,
      count(*) filter (where s.outcome = 'failed' and not exists (
        select 1 from messages m where m.workspace_id = s.workspace_id and m.run_id = s.run_id and m.step_id = s.step_id
      )) as failed_without_message
    from run_steps s join runs r on r.id = s.run_id
    where s.workspace_id = ${workspaceId}
    group by s.node_id`);
  const ports = await db.execute<{ node_id: string; port: string; c: unknown }>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)})
    select s.node_id, s.port, count(*) as c
    from run_steps s join runs r on r.id = s.run_id
    where s.workspace_id = ${workspaceId} and s.port is not null
    group by s.node_id, s.port`);
  const skipsWithoutMessage = await db.execute<{ node_id: string; reason: string; c: unknown }>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)})
    select s.node_id, coalesce(s.reasons->0->>'reason', 'skipped') as reason, count(*) as c
    from run_steps s join runs r on r.id = s.run_id
    where s.workspace_id = ${workspaceId} and s.outcome = 'skipped' and not exists (
      select 1 from messages m where m.workspace_id = s.workspace_id and m.run_id = s.run_id and m.step_id = s.step_id
    )
    group by 1, 2`);
  const msgs = await db.execute<Record<string, unknown>>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)}),
    step_nodes as (
      select distinct s.run_id, s.step_id, s.node_id from run_steps s join runs r on r.id = s.run_id
      where s.workspace_id = ${workspaceId}
    )
    select sn.node_id,
      count(*) filter (where m.sent_at is not null) as sent,
      count(*) filter (where m.status in ('delivered', 'opened', 'clicked', 'complained')) as delivered,
      count(*) filter (where m.status in ('opened', 'clicked') or m.status_history @> '[{"status":"opened"}]'
        or ${engaged(workspaceId, ['message.opened', 'message.clicked'])}) as opened,
      count(*) filter (where m.status = 'clicked' or m.status_history @> '[{"status":"clicked"}]'
        or ${engaged(workspaceId, ['message.clicked'])}) as clicked,
      count(*) filter (where ${engaged(workspaceId, ['sms.replied'])}) as replied,
      count(*) filter (where exists (
        select 1 from suppressions su
        where su.workspace_id = m.workspace_id and su.channel = m.channel and su.address = m.to_address
          and su.reason in ('unsubscribed', 'stop') and m.sent_at is not null and su.created_at >= m.sent_at
          and not exists (
            select 1 from messages m2
            where m2.workspace_id = m.workspace_id and m2.channel = m.channel and m2.to_address = m.to_address
              and m2.sent_at > m.sent_at and m2.sent_at <= su.created_at
          )
      )) as unsubscribed,
      count(*) filter (where m.status in ('failed', 'bounced', 'undelivered')) as failed
    from messages m join step_nodes sn on sn.run_id = m.run_id and sn.step_id = m.step_id
    where m.workspace_id = ${workspaceId}
    group by sn.node_id`);
  const skips = await db.execute<{ node_id: string; reason: string; c: unknown }>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)}),
    step_nodes as (
      select distinct s.run_id, s.step_id, s.node_id from run_steps s join runs r on r.id = s.run_id
      where s.workspace_id = ${workspaceId}
    )
    select sn.node_id, coalesce(m.skip_reason, 'skipped') as reason, count(*) as c
    from messages m join step_nodes sn on sn.run_id = m.run_id and sn.step_id = m.step_id
    where m.workspace_id = ${workspaceId} and m.status = 'skipped'
    group by 1, 2`);

  // Attribution: a conversion and its revenue belong to the last message of its run the customer clicked
  // before converting, else the last one they opened, else the last one they were sent.
  const attributed = await db.execute<{ node_id: string; c: unknown; revenue: unknown }>(sql`
    with runs as (${cohort(workspaceId, journeyId, range)}),
    conv as (${converted}),
    last_msg as (
      select distinct on (c.id) c.id, c.revenue, m.run_id, m.step_id
      from conv c join messages m on m.workspace_id = ${workspaceId} and m.run_id = c.id
      cross join lateral (
        select max(e.occurred_at) filter (where e.type = 'message.clicked') as clicked_at,
          max(e.occurred_at) as opened_at
        from events e
        where e.workspace_id = ${workspaceId} and e.type in ('message.opened', 'message.clicked')
          and e.properties->>'messageId' = m.id::text and e.occurred_at <= c.converted_at
      ) g
      where m.sent_at is not null and m.sent_at <= c.converted_at and not m.test
      order by c.id, (g.clicked_at is not null) desc, (g.opened_at is not null) desc,
        coalesce(g.clicked_at, g.opened_at, m.sent_at) desc, m.sent_at desc, m.created_at desc, m.id desc
    ),
    step_nodes as (
      select distinct s.run_id, s.step_id, s.node_id from run_steps s join conv c on c.id = s.run_id
      where s.workspace_id = ${workspaceId}
    )
    select sn.node_id, count(*) as c, coalesce(sum(l.revenue), 0) as revenue
    from last_msg l join step_nodes sn on sn.run_id = l.run_id and sn.step_id = l.step_id
    group by sn.node_id`);

  const byNode = new Map<string, NodeCounts>();
  const node = (id: string): NodeCounts => {
    let c = byNode.get(id);
    if (!c) {
      c = {
        nodeId: id,
        entered: 0,
        waiting: 0,
        sent: 0,
        delivered: 0,
        opened: 0,
        clicked: 0,
        replied: 0,
        unsubscribed: 0,
        failed: 0,
        conversions: 0,
        revenue: 0,
        skipped: {},
        ports: {},
      };
      byNode.set(id, c);
    }
    return c;
  };
  for (const r of steps.rows) {
    const c = node(String(r.node_id));
    c.entered = n(r.entered);
    c.waiting = n(r.waiting);
    c.failed += n(r.failed_without_message);
  }
  for (const r of ports.rows) node(r.node_id).ports[r.port] = n(r.c);
  for (const r of msgs.rows) {
    const c = node(String(r.node_id));
    c.sent = n(r.sent);
    c.delivered = n(r.delivered);
    c.opened = n(r.opened);
    c.clicked = n(r.clicked);
    c.replied = n(r.replied);
    c.unsubscribed = n(r.unsubscribed);
    c.failed += n(r.failed);
  }
  for (const r of attributed.rows) {
    const c = node(r.node_id);
    c.conversions = n(r.c);
    c.revenue = Math.round(n(r.revenue) * 100) / 100;
  }
  for (const r of [...skips.rows, ...skipsWithoutMessage.rows]) {
    const c = node(r.node_id);
    c.skipped[r.reason] = (c.skipped[r.reason] ?? 0) + n(r.c);
  }
  return [...byNode.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}

/** Run counters per journey for the journey list (all time). */
export async function journeyRunStats(
  db: Executor,
  workspaceId: string,
): Promise<Map<string, { entered: number; active: number; completed: number }>> {
  const res = await db.execute<{
    journey_id: string;
    entered: unknown;
    active: unknown;
    completed: unknown;
  }>(sql`
    select journey_id, count(*) as entered,
      count(*) filter (where status in ('running', 'waiting')) as active,
      count(*) filter (where status = 'completed') as completed
    from journey_runs where workspace_id = ${workspaceId}
    group by journey_id`);
  return new Map(
    res.rows.map((r) => [
      r.journey_id,
      { entered: n(r.entered), active: n(r.active), completed: n(r.completed) },
    ]),
  );
}
