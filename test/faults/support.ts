import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createJourney,
  type Db,
  publishVersion,
  updateWorkspaceSettings,
  WorkspaceSettings,
} from '@hourglass/db';
import type { Graph } from '@hourglass/journey';
import { compileJourney, graphBuilder } from '@hourglass/nodes';
import type pg from 'pg';
import type { Emulator } from '../emulator/server';

// Shared pieces of the fault-injection suite: the journey under test, the events it gets and the audit
// every case ends with (the processes it runs are in processes.ts).

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DATA = path.join(ROOT, 'data', 'test');
const SUMMARY = path.join(DATA, 'faults-summary.txt');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Awaits `p`, failing with `label` after `ms` (teardown must never hang the suite). */
export async function within<T>(label: string, p: Promise<T>, ms = 20_000): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`faults: ${label} did not finish within ${ms} ms`);
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `fn` until it returns true; throws `label` on timeout. */
export async function waitFor(label: string, fn: () => Promise<boolean>, ms = 60_000, everyMs = 200) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await sleep(everyMs);
  }
}

/** A temporary folder PostgreSQL (run as user postgres when we are root) can enter; `remove` when done. */
export function tempDir(label: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hourglass-faults-${label}-`));
  fs.chmodSync(dir, 0o755);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** True while a process with this pid exists. */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const uniqueQueue = (label: string) => `faults-${label}-${randomBytes(4).toString('hex')}`;

/** What one case reports. */
export interface Summary {
  injected: number;
  events: number;
  runs: number;
  messages: number;
  duplicates: number;
  losses: number;
}

/** Prints the case's summary line and appends it to data/test/faults-summary.txt. */
export function report(name: string, s: Summary, extra = ''): string {
  const line = `fault ${name}: injected=${s.injected} events=${s.events} runs=${s.runs} messages=${s.messages} duplicates=${s.duplicates} losses=${s.losses}${extra ? ` ${extra}` : ''}`;
  console.log(line);
  fs.mkdirSync(DATA, { recursive: true });
  fs.appendFileSync(SUMMARY, `${new Date().toISOString()} ${line}\n`);
  return line;
}

/** The journey every case runs: order placed → email → short pause → SMS. Two messages per run. */
export function sendGraph(): Graph {
  return graphBuilder()
    .node('trigger', 'trigger', {})
    .node('confirm', 'send_email', {
      subject: 'Order {{ order.externalId }} confirmed',
      body: 'Thanks {{ customer.firstName }}',
      transactional: true,
    })
    .node('pause', 'delay', { mode: 'duration', amount: 1, unit: 'minutes' })
    .node('shipped', 'send_sms', { text: 'Shipped {{ order.externalId }}', transactional: true })
    .edge('trigger', 'confirm')
    .edge('confirm', 'pause')
    .edge('pause', 'shipped')
    .build();
}
export const MESSAGES_PER_RUN = 2;

/**
 * Compiles and publishes `graph` (duration sleeps shortened to `sleepMs`, and act retries to `retry` when
 * given, so a storm test does not wait the production 30 s backoff) and wait-for-event timeouts to
 * `awaitTimeoutMs` when given; quiet hours off.
 */
export async function publishJourney(
  db: Db,
  workspaceId: string,
  graph: Graph,
  sleepMs: number,
  retry?: { maxAttempts: number; initialIntervalMs: number; backoff: number; maxIntervalMs: number },
  awaitTimeoutMs?: number,
) {
  await updateWorkspaceSettings(
    db,
    workspaceId,
    WorkspaceSettings.parse({ quietHours: { start: '00:00', end: '00:00' } }),
  );
  const compiled = compileJourney(graph);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  for (const step of Object.values(compiled.plan.steps)) {
    if (step.type === 'sleep' && step.wake.kind === 'duration') step.wake = { kind: 'duration', ms: sleepMs };
    if (step.type === 'act' && retry) step.retry = retry;
    if (step.type === 'await' && awaitTimeoutMs !== undefined) step.timeoutMs = awaitTimeoutMs;
  }
  const journey = await createJourney(db, workspaceId, { name: `faults-${randomBytes(3).toString('hex')}` });
  await publishVersion(db, workspaceId, journey.id, {
    graph,
    plan: compiled.plan,
    planHash: compiled.plan.hash,
  });
  return journey.id;
}

let eventSeq = 0;
/** An order.placed event for a new customer (unique email and phone, so provider deliveries are countable). */
export function orderPlaced(tag: string, extra: Record<string, unknown> = {}) {
  const n = ++eventSeq;
  const suffix = randomBytes(4).toString('hex');
  return {
    id: `evt_${tag}_${n}_${suffix}`,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: {
      externalId: `cust_${tag}_${n}_${suffix}`,
      email: `${tag}-${n}-${suffix}@example.com`,
      phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      firstName: 'Ada',
      timezone: 'UTC',
      consent: { email: 'subscribed', sms: 'subscribed' },
    },
    order: { externalId: `ord_${tag}_${n}_${suffix}`, total: 42, currency: 'USD', items: [] },
    ...extra,
  };
}

/** Counts what happened to the accepted events of one journey and checks the invariants. */
export interface Audit extends Summary {
  /** Accepted events with no row, or order.placed events with no run. */
  lost: string[];
  /** Runs not completed, and whether each has a recorded reason. */
  unfinished: { workflowId: string; status: string; reason: string | null }[];
  /** Failed messages without a recorded reason. */
  unexplained: string[];
  /** Recipients the provider delivered to more than once per channel. */
  doubled: string[];
}

/** Waits until every accepted event is routed and every run has ended, then audits. */
export async function settleAndAudit(opts: {
  pool: pg.Pool;
  workspaceId: string;
  journeyId: string;
  /** Event ids answered with 2xx, and which of them are order.placed (one run each). */
  accepted: Set<string>;
  triggers: Set<string>;
  emulator?: Emulator;
  /** Faults injected; a function when counted after the run (provider faults). */
  injected: number | (() => number);
  timeoutMs?: number;
}): Promise<Audit> {
  const { pool, workspaceId, journeyId } = opts;
  const timeoutMs = opts.timeoutMs ?? 90_000;
  await waitFor(
    'the outbox to drain',
    async () =>
      (
        await pool.query(
          'select count(*)::int as n from event_outbox where workspace_id = $1 and done_at is null',
          [workspaceId],
        )
      ).rows[0].n === 0,
    timeoutMs,
  );
  await waitFor(
    'every run to end',
    async () => {
      const r = await pool.query(
        `select count(*)::int as n from journey_runs where workspace_id = $1 and journey_id = $2 and status in ('running', 'waiting')`,
        [workspaceId, journeyId],
      );
      const all = await pool.query(
        'select count(*)::int as n from journey_runs where workspace_id = $1 and journey_id = $2',
        [workspaceId, journeyId],
      );
      return r.rows[0].n === 0 && all.rows[0].n >= opts.triggers.size;
    },
    timeoutMs,
  ).catch(() => {
    // Reported below as unfinished runs / losses.
  });
  const events = await pool.query('select id from events where workspace_id = $1', [workspaceId]);
  const stored = new Set(events.rows.map((r) => r.id as string));
  const runs = await pool.query(
    'select workflow_id, status, end_reason, trigger_event_id, order_id from journey_runs where workspace_id = $1 and journey_id = $2',
    [workspaceId, journeyId],
  );
  const runTriggers = new Set(runs.rows.map((r) => r.trigger_event_id as string));
  const lost = [
    ...[...opts.accepted].filter((id) => !stored.has(id)).map((id) => `event ${id}`),
    ...[...opts.triggers].filter((id) => !runTriggers.has(id)).map((id) => `run of ${id}`),
  ];
  const perOrder = new Map<string, number>();
  for (const r of runs.rows) perOrder.set(r.order_id, (perOrder.get(r.order_id) ?? 0) + 1);
  const doubledRuns = [...perOrder.values()].filter((n) => n > 1).length;
  const unfinished = runs.rows
    .filter((r) => r.status !== 'completed')
    .map((r) => ({ workflowId: r.workflow_id, status: r.status, reason: r.end_reason }));
  const messages = await pool.query(
    'select id, run_id, channel, status, error, to_address, idempotency_key from messages where workspace_id = $1 and journey_id = $2',
    [workspaceId, journeyId],
  );
  const unexplained = messages.rows
    .filter(
      (m) => m.status === 'failed' && !(m.error && typeof m.error.reason === 'string' && m.error.reason),
    )
    .map((m) => m.id as string);
  const doubled: string[] = [];
  if (opts.emulator) {
    const counts = new Map<string, number>();
    for (const d of opts.emulator.deliveries) {
      const k = `${d.provider}:${d.to}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of counts) if (n > 1) doubled.push(`${k} x${n}`);
  }
  // Every finished run sent both messages (the journey has no branch).
  const perRun = new Map<string, number>();
  for (const m of messages.rows)
    if (m.status === 'sent') perRun.set(m.run_id, (perRun.get(m.run_id) ?? 0) + 1);
  return {
    injected: typeof opts.injected === 'function' ? opts.injected() : opts.injected,
    events: opts.accepted.size,
    runs: runs.rows.length,
    messages: messages.rows.filter((m) => m.status === 'sent').length,
    duplicates:
      doubled.length + doubledRuns + [...perRun.values()].filter((n) => n > MESSAGES_PER_RUN).length,
    losses: lost.length,
    lost,
    unfinished,
    unexplained,
    doubled,
  };
}
