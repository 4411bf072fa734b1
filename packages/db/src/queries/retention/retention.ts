import { sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { WorkspaceSettings } from '../../schema';
import { getWorkspace } from '../access/workspaces';
import { listWorkspaceIds } from '../journeys/date-triggers';

// Retention: raw history older than the workspace's settings (WorkspaceSettings.retention) is removed
// in small batches, each its own short statement, so ingest and sends never wait on a long lock and a
// pass can stop anywhere and resume next round. What is removed:
// - events that happened before `eventsDays` ago, except those still pending routing and the trigger
//   events of active runs (their outbox rows go with them);
// - on the same clock, the texts customers sent (inbound messages; those that reached no workspace
//   under the default setting) and the requests of tracked links (the message keeps its clicked status);
// - the steps (and their attempts) of runs that ended before `runHistoryDays` ago; their messages'
//   status histories are reduced to the first time each status was reached, so opens and clicks still
//   count in analytics.
// Kept for good: customers, orders, runs themselves, messages, and everything of an active run.
// Per-node analytics of cohorts older than `runHistoryDays` therefore show runs but not their steps.

export type PruneOptions = {
  now?: Date;
  /** Rows (events) or runs a statement handles at most. */
  batchSize?: number;
  /** Stop after this long (ms); the next round carries on. */
  budgetMs?: number;
};

export type PruneResult = {
  events: number;
  inboundMessages: number;
  clicks: number;
  runSteps: number;
  messageHistories: number;
  done: boolean;
};

const nothing = (): PruneResult => ({
  events: 0,
  inboundMessages: 0,
  clicks: 0,
  runSteps: 0,
  messageHistories: 0,
  done: true,
});

const DAY = 86_400_000;
const NO_UUID = '00000000-0000-0000-0000-000000000000';

/** Deletes a batch of a workspace's (or, null, no workspace's) inbound texts received before `before`. */
async function deleteInbound(db: Executor, workspaceId: string | null, before: string, batch: number) {
  const owner = workspaceId === null ? sql`workspace_id is null` : sql`workspace_id = ${workspaceId}`;
  const res = await db.execute(sql`
    delete from inbound_messages where id = any(array(
      select id from inbound_messages where ${owner} and received_at < ${before} limit ${batch}))`);
  return res.rowCount ?? 0;
}

/** Event types of a workspace, by a loose index scan of events_workspace_type_idx (one probe per type). */
async function eventTypes(db: Executor, workspaceId: string): Promise<string[]> {
  const res = await db.execute<{ type: string }>(sql`
    with recursive t(type) as (
      (select type from events where workspace_id = ${workspaceId} order by type limit 1)
      union all
      select (select e.type from events e where e.workspace_id = ${workspaceId} and e.type > t.type order by e.type limit 1)
      from t where t.type is not null
    ) select type from t where type is not null`);
  return res.rows.map((r) => r.type);
}

/** One workspace's pass (see above) under its settings. */
export async function pruneWorkspace(
  db: Executor,
  workspaceId: string,
  opts: PruneOptions = {},
): Promise<PruneResult> {
  const ws = await getWorkspace(db, workspaceId);
  const result = nothing();
  if (!ws) return result;
  const { retention } = WorkspaceSettings.parse(ws.settings ?? {});
  const now = (opts.now ?? new Date()).getTime();
  const batch = opts.batchSize ?? 1000;
  const deadline = performance.now() + (opts.budgetMs ?? 60_000);
  const overBudget = () => {
    if (performance.now() < deadline) return false;
    result.done = false;
    return true;
  };

  const eventsBefore = new Date(now - retention.eventsDays * DAY).toISOString();
  for (const type of await eventTypes(db, workspaceId)) {
    for (;;) {
      if (overBudget()) return result;
      const res = await db.execute(sql`
        delete from events where workspace_id = ${workspaceId} and id = any(array(
          select e.id from events e
          where e.workspace_id = ${workspaceId} and e.type = ${type} and e.occurred_at < ${eventsBefore}
            and e.routing_state <> 'pending'
            and not exists (
              select 1 from journey_runs r
              where r.workspace_id = e.workspace_id and r.customer_id = e.customer_id
                and r.status in ('running', 'waiting') and r.trigger_event_id = e.id)
          limit ${batch}))`);
      result.events += res.rowCount ?? 0;
      if ((res.rowCount ?? 0) < batch) break;
    }
  }

  for (;;) {
    if (overBudget()) return result;
    const n = await deleteInbound(db, workspaceId, eventsBefore, batch);
    result.inboundMessages += n;
    if (n < batch) break;
  }

  // Clicks in message order (message_clicks_message_idx), each batch from the message the last one
  // reached, so a pass reads the index once.
  let fromMessage = NO_UUID;
  for (;;) {
    if (overBudget()) return result;
    const res = await db.execute<{ message_id: string }>(sql`
      delete from message_clicks c using (
        select id, message_id from message_clicks
        where workspace_id = ${workspaceId} and message_id >= ${fromMessage}::uuid and clicked_at < ${eventsBefore}
        order by message_id limit ${batch}) d
      where c.id = d.id returning d.message_id`);
    result.clicks += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < batch) break;
    // Lower-case hex text sorts like uuid bytes.
    fromMessage =
      res.rows
        .map((r) => r.message_id)
        .sort()
        .at(-1) ?? fromMessage;
  }

  // Runs in id order (journey_runs_workspace_id_id_key), a batch at a time: one forward pass.
  const endedBefore = new Date(now - retention.runHistoryDays * DAY).toISOString();
  let after = NO_UUID;
  for (;;) {
    if (overBudget()) return result;
    const runs = await db.execute<{ id: string }>(sql`
      select id from journey_runs
      where workspace_id = ${workspaceId} and id > ${after}::uuid
        and status in ('completed', 'exited', 'failed', 'cancelled') and ended_at < ${endedBefore}
      order by id limit ${batch}`);
    const ids = runs.rows.map((r) => r.id);
    if (!ids.length) break;
    after = ids[ids.length - 1]!;
    const idList = sql`${`{${ids.join(',')}}`}::uuid[]`;
    const steps = await db.execute(sql`
      delete from run_steps where workspace_id = ${workspaceId} and run_id = any(${idList})`);
    result.runSteps += steps.rowCount ?? 0;
    const histories = await db.execute(sql`
      update messages m set status_history = (
        select coalesce(jsonb_agg(d.e order by d.o), '[]'::jsonb) from (
          select distinct on (x.e->>'status') x.e, x.o
          from jsonb_array_elements(m.status_history) with ordinality x(e, o)
          order by x.e->>'status', x.o) d)
      where m.workspace_id = ${workspaceId} and m.run_id = any(${idList})
        and jsonb_array_length(m.status_history) >
          (select count(distinct e->>'status') from jsonb_array_elements(m.status_history) e)`);
    result.messageHistories += histories.rowCount ?? 0;
    if (ids.length < batch) break;
  }
  return result;
}

/**
 * A pass over every workspace, then over the texts that reached no workspace (kept under the default
 * setting); what the API's periodic retention does.
 */
export async function pruneAllWorkspaces(db: Executor, opts: PruneOptions = {}): Promise<PruneResult> {
  const total = nothing();
  const deadline = performance.now() + (opts.budgetMs ?? 60_000);
  for (const workspaceId of await listWorkspaceIds(db)) {
    const budgetMs = deadline - performance.now();
    if (budgetMs <= 0) return { ...total, done: false };
    const r = await pruneWorkspace(db, workspaceId, { ...opts, budgetMs });
    for (const k of ['events', 'inboundMessages', 'clicks', 'runSteps', 'messageHistories'] as const)
      total[k] += r[k];
    total.done &&= r.done;
  }
  const batch = opts.batchSize ?? 1000;
  const before = new Date(
    (opts.now ?? new Date()).getTime() - WorkspaceSettings.parse({}).retention.eventsDays * DAY,
  ).toISOString();
  for (;;) {
    if (performance.now() >= deadline) return { ...total, done: false };
    const n = await deleteInbound(db, null, before, batch);
    total.inboundMessages += n;
    if (n < batch) break;
  }
  return total;
}
