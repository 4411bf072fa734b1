import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@hourglass/db';
import { buildApp, createTemporalClient, type Dispatcher, startDispatcher } from '@hourglass/server';
import { temporalConfigFromEnv } from '@hourglass/workflows';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import { DATA, ROOT, sleep } from './support';

// The processes of the fault-injection suite: the API + dispatcher in process, and the worker (or any
// Node entry point) as a child process that can be killed.

const silent = { info: () => {}, warn: () => {}, error: () => {} };

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
