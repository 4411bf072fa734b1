import type pg from 'pg';
import type { Emulator } from '../../emulator/server';
import { sleep } from '../support';
import { deliveredEvent, type Shopper } from './journey';
import type { LoadReport } from './load';

// The soak's auditor: with the load stopped and the stack healed, compares what clients were told
// (2xx answers) and what the journey implies against the database and the providers' request log.

export interface ChaosAudit {
  events: number;
  lost: string[];
  duplicates: string[];
  /** Runs that did not end as their events imply, or never ended. */
  stuck: string[];
  /** Runs that ended on the wrong path (wrong messages, wrong end state). */
  wrong: string[];
  /** Deliveries routed only after their run's wait had timed out (the nudge was right). */
  late: number;
}

/**
 * Waits for the outbox to drain and every run to end (giving up after `settleMs` without progress, or
 * `maxSettleMs` in all), then checks every invariant.
 */
export async function audit(opts: {
  pool: pg.Pool;
  workspaceId: string;
  journeyId: string;
  load: LoadReport;
  emulator: Emulator;
  settleMs: number;
  maxSettleMs: number;
}): Promise<ChaosAudit> {
  const { pool, workspaceId: ws, journeyId, load } = opts;
  const placed = [...load.accepted].filter(([, type]) => type === 'order.placed').map(([id]) => id);
  const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;
  // Settled when nothing is left to route and no run is active; stuck when that count stops going down
  // for `settleMs` (a backlog that is still draining is slow, not stuck).
  let best = Number.POSITIVE_INFINITY;
  let progressAt = Date.now();
  const giveUpAt = Date.now() + opts.maxSettleMs;
  for (;;) {
    const left = await count(
      `select (select count(*) from event_outbox where workspace_id = $1 and done_at is null)
            + (select count(*) from journey_runs where workspace_id = $1 and status in ('running', 'waiting'))
            + greatest(0, $2::int - (select count(*) from journey_runs where workspace_id = $1)) as n`,
      [ws, placed.length],
    );
    if (left === 0) break;
    if (left < best) {
      best = left;
      progressAt = Date.now();
    }
    if (Date.now() - progressAt > opts.settleMs || Date.now() > giveUpAt) break;
    await sleep(1000);
  }

  const lost: string[] = [];
  const duplicates: string[] = [];
  const stuck: string[] = [];
  const wrong: string[] = [];
  let late = 0;
  // Every accepted event: stored once, routed once (its outbox row done).
  const stored = new Map<string, number>();
  for (const r of (
    await pool.query('select id, count(*)::int as n from events where workspace_id = $1 group by id', [ws])
  ).rows)
    stored.set(r.id, r.n);
  const routed = new Map<string, { n: number; done: number }>();
  for (const r of (
    await pool.query(
      'select event_id, count(*)::int as n, count(done_at)::int as done from event_outbox where workspace_id = $1 group by event_id',
      [ws],
    )
  ).rows)
    routed.set(r.event_id, { n: r.n, done: r.done });
  for (const id of load.accepted.keys()) {
    const n = stored.get(id) ?? 0;
    if (n === 0) lost.push(`event ${id} answered 2xx but not stored`);
    if (n > 1) duplicates.push(`event ${id} stored ${n} times`);
    const r = routed.get(id);
    if (!r) lost.push(`event ${id} never queued for routing`);
    else if (r.n > 1) duplicates.push(`event ${id} queued ${r.n} times`);
    else if (r.done === 0) stuck.push(`event ${id} not routed`);
  }

  // Every accepted order.placed: one run, completed.
  const runs = new Map<string, { n: number; status: string; workflowId: string }>();
  for (const r of (
    await pool.query(
      `select trigger_event_id, count(*)::int as n, min(status) as status, min(workflow_id) as workflow_id
         from journey_runs where workspace_id = $1 and journey_id = $2 group by trigger_event_id`,
      [ws, journeyId],
    )
  ).rows)
    runs.set(r.trigger_event_id, { n: r.n, status: r.status, workflowId: r.workflow_id });
  for (const id of placed) {
    const r = runs.get(id);
    if (!r) lost.push(`no run for ${id}`);
    else if (r.n > 1) duplicates.push(`${r.n} runs for ${id}`);
    else if (r.status !== 'completed') stuck.push(`run ${r.workflowId} ${r.status}`);
  }

  // Every message the journey implies, delivered by the provider exactly once; nothing else.
  const seen = new Map<string, string[]>();
  for (const d of opts.emulator.deliveries) {
    const key = d.to;
    seen.set(key, [
      ...(seen.get(key) ?? []),
      d.provider === 'resend' ? `email:${d.subject}` : `sms:${d.body}`,
    ]);
  }
  const placedIds = new Set(placed);
  for (const s of load.shoppers) {
    const placedId = String(s.events[0]?.id);
    if (!placedIds.has(placedId)) continue;
    const emails = seen.get(s.email) ?? [];
    const texts = seen.get(s.phone) ?? [];
    seen.delete(s.email);
    seen.delete(s.phone);
    const check = (what: string, got: number, wantN: number) => {
      if (got > wantN) duplicates.push(`${what} for shopper ${s.n}: ${got} deliveries, want ${wantN}`);
      if (got < wantN) {
        const r = runs.get(placedId);
        (r?.status === 'completed' ? lost : stuck).push(`${what} for shopper ${s.n}: ${got} of ${wantN}`);
      }
    };
    const delivered = load.delivered.has(s.n);
    const reviews = emails.filter((m) => m.startsWith('email:How was')).length;
    const nudges = texts.filter((m) => m.startsWith('sms:Still')).length;
    check('confirmation email', emails.filter((m) => m.includes(' confirmed')).length, 1);
    check('VIP text', texts.filter((m) => m.startsWith('sms:VIP')).length, s.total > 100 ? 1 : 0);
    // The wait went the other way than the events imply (the delivery came in time, or never came).
    const nudgedLate = delivered && reviews === 0 && nudges === 1 && (await routedAfterTimeout(pool, ws, s));
    if (nudgedLate) late++;
    else if (delivered ? reviews === 0 && nudges === 1 : reviews === 1 && nudges === 0) {
      const path = delivered ? 'delivered but nudged' : 'not delivered but asked for a review';
      wrong.push(`shopper ${s.n}: ${path}; ${await timeline(pool, ws, s)}`);
    } else {
      check('review email', reviews, delivered ? 1 : 0);
      check('nudge text', nudges, delivered ? 0 : 1);
    }
  }
  for (const [to, got] of seen) duplicates.push(`${got.length} deliveries to ${to}, who never ordered`);
  return { events: load.accepted.size, lost, duplicates, stuck, wrong, late };
}

/** When the shopper's run started and ended and when its delivery was queued and routed (seconds from the start). */
async function timeline(pool: pg.Pool, ws: string, s: Shopper): Promise<string> {
  const { rows } = await pool.query(
    `select extract(epoch from r.started_at) as started, extract(epoch from r.ended_at) as ended,
            extract(epoch from x.created_at) as queued, extract(epoch from x.done_at) as routed, x.attempts, x.last_error
       from journey_runs r join orders o on o.id = r.order_id
       left join event_outbox x on x.workspace_id = r.workspace_id and x.event_id = $3
      where r.workspace_id = $1 and o.external_id = $2`,
    [ws, s.orderExternalId, deliveredEvent(s).id],
  );
  const r = rows[0];
  if (!r) return 'no run';
  const at = (t: number | null) => (t === null ? '-' : `+${(Number(t) - Number(r.started)).toFixed(1)} s`);
  return `run ended ${at(r.ended)}, delivery queued ${at(r.queued)}, routed ${at(r.routed)} after ${r.attempts} attempts (${r.last_error ?? 'no error'})`;
}

/** True when the shopper's delivery reached routing only after the run's wait had already timed out. */
async function routedAfterTimeout(pool: pg.Pool, ws: string, s: Shopper): Promise<boolean> {
  const { rows } = await pool.query(
    `select x.done_at > w.finished_at - interval '1 second' as late
       from journey_runs r join orders o on o.id = r.order_id
       join run_steps w on w.run_id = r.id and w.node_id = 'wait'
       join event_outbox x on x.workspace_id = r.workspace_id and x.event_id = $3
      where r.workspace_id = $1 and o.external_id = $2`,
    [ws, s.orderExternalId, deliveredEvent(s).id],
  );
  return rows[0]?.late === true;
}
