import { createJourney, type Db, publishVersion } from '@hourglass/db';
import { seedWorkspace, testGraph, testPlan } from '@hourglass/db/testing';
import type pg from 'pg';

// A journey's history written straight into the tables, as the workers, webhooks and ingest would have
// left it: two versions (v1 with a 48-hour goal, v2 without), runs over several days in every status,
// steps at four nodes, email and SMS messages in every status, opens / clicks / replies as events,
// conversions inside and outside the window, a redeemed discount code and an unsubscribe.

export const DAY = 86_400_000;
/** Today at 00:00 UTC: the runs start on the days before it. */
export const today = Math.floor(Date.now() / DAY) * DAY;
/** A time `days` before today at `hours` UTC. */
export const at = (days: number, hours = 0) => new Date(today - days * DAY + hours * 3_600_000);

const STATUSES = ['completed', 'waiting', 'exited', 'failed', 'running', 'cancelled', 'completed'] as const;
const MESSAGE_STATUSES = ['delivered', 'opened', 'clicked', 'bounced', 'sent', 'skipped', 'failed'] as const;

export type History = {
  workspaceId: string;
  journeyId: string;
  customers: Array<{ id: string; email: string; phone: string }>;
  /** Every run: id, version, start and its messages by step. */
  runs: Array<{
    id: string;
    version: number;
    startedAt: Date;
    customer: number;
    messages: Record<string, string>;
  }>;
};

let counter = 0;

/** Inserts one run with its steps and messages; returns what it made. */
export async function addRun(
  pool: pg.Pool,
  h: History,
  input: { version: number; startedAt: Date; customer: number; seed: number },
) {
  const { seed } = input;
  const c = h.customers[input.customer % h.customers.length]!;
  const status = STATUSES[seed % STATUSES.length]!;
  const converted =
    seed % 3 === 0 ? new Date(input.startedAt.getTime() + (seed % 2 ? 10 : 70) * 3_600_000) : null;
  const { rows } = await pool.query(
    `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id, status, current_step,
       started_at, ended_at, converted_at, revenue)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [
      h.workspaceId,
      `wf-rollups-${++counter}`,
      h.journeyId,
      input.version,
      c.id,
      status,
      status === 'waiting' ? 's_wait' : null,
      input.startedAt,
      ['running', 'waiting'].includes(status) ? null : new Date(input.startedAt.getTime() + 9 * DAY),
      converted,
      converted ? 20 + (seed % 7) * 12.35 : null,
    ],
  );
  const runId = rows[0].id as string;
  const step = (i: number) => new Date(input.startedAt.getTime() + i * 3_600_000);
  const steps: Array<[string, string, string, string | null, string | null, Date | null, object | null]> = [
    [
      's_email',
      'email',
      'act',
      seed % 5 === 4 ? 'skipped' : 'ok',
      null,
      step(1),
      seed % 5 === 4 ? [{ reason: 'quiet' }] : null,
    ],
    ['s_branch', 'branch', 'decide', 'decided', seed % 2 ? 'yes' : 'no', step(1), null],
    [
      's_wait',
      'wait',
      'sleep',
      status === 'waiting' ? null : 'ok',
      null,
      status === 'waiting' ? null : step(30),
      null,
    ],
  ];
  if (status !== 'waiting')
    steps.push(['s_sms', 'sms', 'act', seed % 4 === 1 ? 'failed' : 'ok', null, step(31), null]);
  for (const [stepId, nodeId, primitive, outcome, port, finished, reasons] of steps)
    await pool.query(
      `insert into run_steps (workspace_id, run_id, step_id, node_id, primitive, entered_at, finished_at, outcome, port, reasons)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        h.workspaceId,
        runId,
        stepId,
        nodeId,
        primitive,
        step(0),
        finished,
        outcome,
        port,
        reasons ? JSON.stringify(reasons) : null,
      ],
    );
  const messages: Record<string, string> = {};
  for (const [i, stepId] of ['s_email', 's_sms'].entries()) {
    if (!steps.some((s) => s[0] === stepId) || (seed + i) % 6 === 5) continue;
    const mstatus = MESSAGE_STATUSES[(seed + 3 * i) % MESSAGE_STATUSES.length]!;
    const sent = mstatus === 'skipped' ? null : step(i ? 31 : 1);
    const history = mstatus === 'sent' && seed % 2 ? [{ status: 'opened', at: step(2).toISOString() }] : [];
    const m = await pool.query(
      `insert into messages (workspace_id, run_id, step_id, customer_id, journey_id, channel, provider, idempotency_key,
         to_address, status, skip_reason, status_history, created_at, sent_at)
       values ($1, $2, $3, $4, $5, $6, 'outbox', $7, $8, $9, $10, $11, $12, $13) returning id`,
      [
        h.workspaceId,
        runId,
        stepId,
        c.id,
        h.journeyId,
        i ? 'sms' : 'email',
        `${runId}:${stepId}`,
        i ? c.phone : c.email,
        mstatus,
        mstatus === 'skipped' ? 'capped' : null,
        JSON.stringify(history),
        step(i ? 31 : 1),
        sent,
      ],
    );
    messages[stepId] = m.rows[0].id;
  }
  h.runs.push({
    id: runId,
    version: input.version,
    startedAt: input.startedAt,
    customer: input.customer,
    messages,
  });
  return { runId, messages };
}

/** An engagement event about a message, as the webhooks record it. */
export async function engage(pool: pg.Pool, h: History, type: string, messageId: string, occurredAt: Date) {
  await pool.query(
    `insert into events (workspace_id, id, type, properties, occurred_at) values ($1, $2, $3, $4, $5)`,
    [h.workspaceId, `evt_rollups_${++counter}`, type, JSON.stringify({ messageId }), occurredAt],
  );
}

/** Builds the workspace, the journey and six days of history. */
export async function buildHistory(db: Db, pool: pg.Pool): Promise<History> {
  const ws = await seedWorkspace(db, 'Rollups');
  const journey = await createJourney(db, ws.id, { name: 'Rollups', draftGraph: testGraph() });
  const goal = { eventType: 'order.placed', filter: null, windowHours: 48, exitOnReach: false };
  await publishVersion(db, ws.id, journey.id, {
    graph: testGraph(),
    plan: { ...testPlan(), goal },
    planHash: '1'.repeat(64),
  });
  await publishVersion(db, ws.id, journey.id, {
    graph: testGraph(),
    plan: testPlan(),
    planHash: '2'.repeat(64),
  });
  const h: History = { workspaceId: ws.id, journeyId: journey.id, customers: [], runs: [] };
  for (let i = 0; i < 4; i++) {
    const email = `rollup-${i}@example.com`;
    const phone = `+1555000${1000 + i}`;
    const { rows } = await pool.query(
      'insert into customers (workspace_id, external_id, email, phone) values ($1, $2, $3, $4) returning id',
      [ws.id, `cus_rollup_${i}`, email, phone],
    );
    h.customers.push({ id: rows[0].id, email, phone });
  }
  let seed = 0;
  for (let day = 6; day >= 1; day--)
    for (let k = 0; k < 6; k++) {
      seed++;
      await addRun(pool, h, { version: 1 + (seed % 2), startedAt: at(day, 1 + k * 4), customer: seed, seed });
    }
  // Engagement about some of the messages; one event carries an id that is no message's.
  for (const [i, r] of h.runs.entries()) {
    const email = r.messages.s_email;
    const sms = r.messages.s_sms;
    if (email && i % 3 === 0)
      await engage(pool, h, 'message.opened', email, new Date(r.startedAt.getTime() + 2 * 3_600_000));
    if (email && i % 4 === 1)
      await engage(pool, h, 'message.clicked', email, new Date(r.startedAt.getTime() + 3 * 3_600_000));
    if (sms && i % 5 === 2)
      await engage(pool, h, 'sms.replied', sms, new Date(r.startedAt.getTime() + 32 * 3_600_000));
  }
  await engage(pool, h, 'message.opened', 'not-a-message', at(2));
  // A discount code of a converted version-2 run (no goal window) redeemed: a conversion of its own kind.
  const v2 = h.runs[2]!;
  await pool.query(
    `insert into discount_codes (workspace_id, code, kind, value, customer_id, run_id, journey_id, idempotency_key, redeemed_at)
     values ($1, 'ROLLUP10', 'percent', 10, $2, $3, $4, 'rollup-code', $5)`,
    [ws.id, h.customers[v2.customer % 4]!.id, v2.id, h.journeyId, new Date(v2.startedAt.getTime() + DAY)],
  );
  // Customer 0 unsubscribed from email on day 3 (after that day's messages to them).
  await pool.query(
    `insert into suppressions (workspace_id, channel, address, reason, created_at) values ($1, 'email', $2, 'unsubscribed', $3)`,
    [ws.id, h.customers[0]!.email, at(3, 23)],
  );
  return h;
}
