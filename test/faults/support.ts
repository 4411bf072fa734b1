import { type ChildProcess, spawn } from 'node:child_process';
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
import { buildApp, createTemporalClient, type Dispatcher, startDispatcher } from '@hourglass/server';
import { temporalConfigFromEnv } from '@hourglass/workflows';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import type { Emulator } from '../emulator/server';

// Shared pieces of the fault-injection suite: the journey under test, the API + dispatcher in process,
// the worker as a child process (so it can be killed), and the audit every case ends with.

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DATA = path.join(ROOT, 'data', 'test');
const SUMMARY = path.join(DATA, 'faults-summary.txt');
const silent = { info: () => {}, warn: () => {}, error: () => {} };

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

/** The API (in process) and the outbox dispatcher, talking to Temporal at `temporalAddress`. */
export interface Api {
  app: FastifyInstance;
  dispatcher: Dispatcher;
  post(
    key: string,
    url: string,
    payload: unknown,
  ): Promise<{ status: number; body: Record<string, unknown>; retryAfter?: string }>;
  close(): Promise<void>;
}

export async function startApi(opts: {
  db: Db;
  pool: pg.Pool;
  temporalAddress: string;
  taskQueue: string;
  backoffMs?: number;
}): Promise<Api> {
  const { client, connection } = createTemporalClient(
    temporalConfigFromEnv({ TEMPORAL_ADDRESS: opts.temporalAddress, TEMPORAL_TASK_QUEUE: opts.taskQueue }),
  );
  const temporal = { client, taskQueue: opts.taskQueue };
  const dispatcher = startDispatcher({
    db: opts.db,
    temporal,
    log: silent,
    pollMs: 100,
    backoffMs: opts.backoffMs ?? 200,
  });
  const app = await buildApp({
    db: opts.db,
    temporal,
    onEventsAccepted: () => dispatcher.poke(),
    pingDatabase: () => opts.pool.query('select 1'),
    pingTemporal: async () => {},
  });
  return {
    app,
    dispatcher,
    async post(key, url, payload) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: payload as object,
        headers: { authorization: `Bearer ${key}` },
      });
      const retryAfter = res.headers['retry-after'];
      return {
        status: res.statusCode,
        body: res.json(),
        retryAfter: retryAfter ? String(retryAfter) : undefined,
      };
    },
    async close() {
      await dispatcher.stop();
      await app.close();
      await connection.close().catch(() => {});
    },
  };
}

/** A Node entry point (the worker's or the API's `main.ts`) running under tsx as a child process. */
export interface NodeProcess {
  child: ChildProcess;
  /** Set when the process ended without being asked to (a crash): the tail of its stderr. */
  crashed(): string | null;
  /** kill -9, resolves once it is gone. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}
/** The worker process (workflows/src/main.ts). */
export type WorkerProcess = NodeProcess;

/** The worker process, sending through the emulator when given. */
export async function startWorker(opts: {
  label: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  emulatorUrl?: string;
}): Promise<WorkerProcess> {
  const providers: Record<string, string> = opts.emulatorUrl
    ? {
        RESEND_API_KEY: 're_test',
        RESEND_BASE_URL: opts.emulatorUrl,
        EMAIL_FROM: 'Shop <shop@example.com>',
        TWILIO_ACCOUNT_SID: 'ACtest',
        TWILIO_AUTH_TOKEN: 'twilio-token',
        TWILIO_FROM: '+15550000000',
        TWILIO_BASE_URL: opts.emulatorUrl,
        HOURGLASS_PROVIDER_TIMEOUT_MS: '1000',
        HOURGLASS_OUTBOUND_ALLOW: new URL(opts.emulatorUrl).host,
      }
    : {};
  return startNodeProcess({
    label: `${opts.label}-worker`,
    entry: 'workflows/src/main.ts',
    ready: 'worker: polling',
    env: {
      DATABASE_URL: opts.databaseUrl,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      HOURGLASS_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      HOURGLASS_ACT_TIMEOUT_MS: '5000',
      HOURGLASS_JITTER_MS: '0',
      HOURGLASS_SECRET_KEY: 'faults-secret',
      HOURGLASS_LOG: 'silent',
      ...providers,
    },
  });
}

/**
 * Starts `entry` with `env` over this process's environment, logging stderr to
 * data/test/faults-<label>.log; resolves once `ready` holds (a line on stdout, or a probe that passes).
 */
export async function startNodeProcess(opts: {
  label: string;
  entry: string;
  env: Record<string, string>;
  ready: string | (() => Promise<boolean>);
  startMs?: number;
}): Promise<NodeProcess> {
  const { label } = opts;
  const startMs = opts.startMs ?? 60_000;
  fs.mkdirSync(DATA, { recursive: true });
  const logPath = path.join(DATA, `faults-${label}.log`);
  const log = fs.openSync(logPath, 'a');
  // Node itself with tsx as a loader, not the tsx CLI: the CLI is a wrapper that would survive as the
  // only victim of a SIGKILL, leaving the real process running.
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', log],
    env: { ...process.env, ...opts.env },
  });
  let exited = false;
  let asked = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      fs.closeSync(log);
      resolve();
    }),
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    // Kept short: only the readiness line matters, and a long-lived process prints for hours.
    out = (out + d).slice(-4096);
  });
  const { ready } = opts;
  const deadline = Date.now() + startMs;
  for (;;) {
    if (exited) {
      asked = true;
      throw new Error(`${label} exited while starting (log: data/test/faults-${label}.log)`);
    }
    if (typeof ready === 'string' ? out.includes(ready) : await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      asked = true;
      child.kill('SIGKILL');
      await gone;
      throw new Error(`${label} did not start within ${startMs / 1000} s`);
    }
    await sleep(100);
  }
  return {
    child,
    crashed: () =>
      exited && !asked ? fs.readFileSync(logPath, 'utf8').trim().split('\n').slice(-40).join('\n') : null,
    async kill9() {
      asked = true;
      if (!exited) child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      asked = true;
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
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
