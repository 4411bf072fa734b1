import { randomUUID } from 'node:crypto';
import type { ChannelsConfig } from '@hourglass/channels';
import {
  createJourney,
  getRunByWorkflowId,
  publishVersion,
  type Run,
  updateWorkspaceSettings,
  upsertCustomerFromEvent,
  upsertOrder,
  type Workspace,
  WorkspaceSettings,
} from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import type { Graph, Json } from '@hourglass/journey';
import { compileJourney } from '@hourglass/nodes';
import {
  createWorker,
  type EngineConfig,
  type JourneyRunInput,
  journeyWorkflowId,
  type RunEvent,
  type RunResult,
  signalRunEvent,
  startJourneyRun,
} from '@hourglass/workflows';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { emulatorPolicy } from '../emulator/server';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** A row of the messages table, as tests count them. */
export interface MessageRow {
  channel: 'email' | 'sms';
  status: string;
  subject: string | null;
  body_text: string | null;
  skip_reason: string | null;
  sent_at: Date | null;
  idempotency_key: string;
  run_id: string;
}

/** Real PostgreSQL + a Temporal server (time-skipping or the shared dev server) + a worker with real activities. */
export interface Harness {
  db: TestDatabase;
  ws: Workspace;
  client: Client;
  taskQueue: string;
  now(): Promise<number>;
  /** Advances time (time-skipping) or really sleeps (dev server). */
  sleep(ms: number): Promise<void>;
  /** Compiles and publishes; `shortSleeps` rewrites duration sleeps to that many ms (dev-server tests). */
  publish(
    graph: Graph,
    journeyId?: string,
    shortSleeps?: number,
  ): Promise<{ journeyId: string; version: number; scope: 'order' | 'customer' }>;
  customer(input: {
    tz?: string;
    email?: string | null;
    phone?: string | null;
    sms?: 'subscribed' | 'unsubscribed' | 'unknown';
    firstName?: string;
  }): Promise<{ id: string }>;
  order(
    customerId: string,
    input: { total: number; placedAt?: number; title?: string },
  ): Promise<{ id: string; externalId: string }>;
  start(
    j: { journeyId: string; version: number; scope: 'order' | 'customer' },
    customerId: string,
    orderId: string | null,
    type?: string,
    /** The interpreter revision to start it with (default: the current one). */
    revision?: number,
  ): Promise<string>;
  /** Starts a run on another task queue (a worker in a child process). */
  startOn(
    queue: string,
    j: { journeyId: string; version: number; scope: 'order' | 'customer' },
    customerId: string,
    orderId: string | null,
    type?: string,
    revision?: number,
  ): Promise<string>;
  event(
    workflowId: string,
    type: string,
    orderId: string | null,
    properties?: Record<string, Json>,
  ): Promise<void>;
  result(workflowId: string): Promise<RunResult>;
  waitRun(workflowId: string, pred: (r: Run) => boolean, timeoutMs?: number): Promise<Run>;
  messages(customerId: string): Promise<MessageRow[]>;
  steps(runRowId: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Builds a harness; `timeSkipping` picks the Java test server, else the shared dev server. */
export async function createHarness(
  label: string,
  opts: {
    timeSkipping: boolean;
    engine?: Partial<EngineConfig>;
    quietHours?: { start: string; end: string };
    /** Provider keys of the channels sender (default: none, so the channels outbox). */
    channels?: ChannelsConfig;
  },
): Promise<Harness> {
  const db = await freshDatabase(label);
  const ws = await seedWorkspace(db.db);
  const settings = WorkspaceSettings.parse({
    quietHours: opts.quietHours ?? { start: '00:00', end: '00:00' },
  });
  await updateWorkspaceSettings(db.db, ws.id, settings);
  const env = opts.timeSkipping
    ? await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: testEnv.testServerPath } },
      })
    : await TestWorkflowEnvironment.createFromExistingServer({ address: testEnv.temporalAddress });
  const taskQueue = `engine-${label}-${randomUUID().slice(0, 8)}`;
  const connection: NativeConnection = env.nativeConnection;
  const worker: Worker = await createWorker({
    connection,
    config: { address: '', namespace: env.namespace ?? 'default', taskQueue },
    bundle: workflowBundle(),
    activities: {
      db: db.db,
      engine: { jitterMs: 60_000, searchAttributes: !opts.timeSkipping, ...opts.engine },
      channels: opts.channels ?? channelsConfig(),
    },
  });
  const running = worker.run();
  const client = env.client;
  let seq = 0;

  const h: Harness = {
    db,
    ws,
    client,
    taskQueue,
    now: () => (opts.timeSkipping ? env.currentTimeMs() : Promise.resolve(Date.now())),
    sleep: (ms) => env.sleep(ms),
    async publish(graph, journeyId, shortSleeps) {
      const compiled = compileJourney(graph);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
      if (shortSleeps !== undefined) {
        for (const step of Object.values(compiled.plan.steps)) {
          if (step.type === 'sleep' && step.wake.kind === 'duration')
            step.wake = { kind: 'duration', ms: shortSleeps };
        }
      }
      const id = journeyId ?? (await createJourney(db.db, ws.id, { name: `j-${++seq}` })).id;
      const v = await publishVersion(db.db, ws.id, id, {
        graph,
        plan: compiled.plan,
        planHash: compiled.plan.hash,
      });
      return { journeyId: id, version: v.version, scope: compiled.plan.scope };
    },
    async customer(input) {
      const n = ++seq;
      const { customer } = await upsertCustomerFromEvent(db.db, ws.id, {
        externalId: `c-${n}-${randomUUID().slice(0, 6)}`,
        email: input.email === undefined ? `c${n}@example.com` : input.email,
        phone: input.phone === undefined ? `+1555000${String(n).padStart(4, '0')}` : input.phone,
        firstName: input.firstName ?? `Ada${n}`,
        timezone: input.tz ?? 'UTC',
        consent: { email: 'subscribed', sms: input.sms ?? 'subscribed' },
      });
      return { id: customer.id };
    },
    async order(customerId, input) {
      const placedAt = new Date(input.placedAt ?? (await h.now()));
      const externalId = `#${1000 + ++seq}`;
      const { order } = await upsertOrder(db.db, ws.id, {
        externalId,
        customerId,
        total: input.total,
        placedAt,
        items: [{ name: input.title ?? 'Coffee beans', title: input.title ?? 'Coffee beans', quantity: 1 }],
      });
      return { id: order.id, externalId };
    },
    start: (j, customerId, orderId, type = 'order.placed', revision) =>
      h.startOn(taskQueue, j, customerId, orderId, type, revision),
    async startOn(queue, j, customerId, orderId, type = 'order.placed', revision) {
      const workflowId = journeyWorkflowId({
        workspaceId: ws.id,
        journeyId: j.journeyId,
        customerId,
        orderId,
        scope: j.scope,
      });
      const input: JourneyRunInput = {
        workspaceId: ws.id,
        journeyId: j.journeyId,
        version: j.version,
        customerId,
        orderId,
        trigger: {
          id: randomUUID(),
          type,
          occurredAt: new Date(await h.now()).toISOString(),
          orderId,
          properties: {},
        },
        ...(revision === undefined ? {} : { revision }),
      };
      const out = await startJourneyRun(client, {
        taskQueue: queue,
        workflowId,
        entry: 'every_time',
        input,
        searchAttributes: !opts.timeSkipping,
      });
      if (!out.started) throw new Error(`not started: ${out.reason}`);
      return workflowId;
    },
    async event(workflowId, type, orderId, properties = {}) {
      const e: RunEvent = {
        id: randomUUID(),
        type,
        occurredAt: new Date(await h.now()).toISOString(),
        orderId,
        properties,
      };
      await signalRunEvent(client, workflowId, e);
    },
    result: (workflowId) => client.workflow.getHandle(workflowId).result() as Promise<RunResult>,
    async waitRun(workflowId, pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await getRunByWorkflowId(db.db, ws.id, workflowId);
        // A step's entry can be recorded by the activity before it, ahead of the workflow task that
        // starts its timer: "waiting" counts once the workflow has nothing in flight.
        if (run && pred(run) && (run.status !== 'waiting' || (await idle(client, workflowId)))) return run;
        if (Date.now() > deadline)
          throw new Error(`run ${workflowId} never matched; last: ${JSON.stringify(run)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async messages(customerId) {
      const r = await db.pool.query(
        'select channel, status, subject, body_text, skip_reason, sent_at, idempotency_key, run_id from messages where customer_id = $1 order by created_at',
        [customerId],
      );
      return r.rows as MessageRow[];
    },
    async steps(runRowId) {
      const r = await db.pool.query('select * from run_steps where run_id = $1 order by entered_at, id', [
        runRowId,
      ]);
      return r.rows;
    },
    async close() {
      worker.shutdown();
      await running.catch(() => {});
      await env.teardown();
      await db.drop();
    },
  };
  return h;
}

/** Channels configuration for tests: the emulator's URL as Resend and Twilio, or no keys (the outbox). */
export function channelsConfig(emulatorUrl?: string): ChannelsConfig {
  return {
    resend: emulatorUrl ? { apiKey: 're_test', from: 'Shop <shop@example.com>', baseUrl: emulatorUrl } : null,
    twilio: emulatorUrl
      ? { accountSid: 'ACtest', authToken: 'twilio-token', from: '+15550000000', baseUrl: emulatorUrl }
      : null,
    emailFrom: 'Shop <shop@example.com>',
    secretKey: 'test-secret',
    publicUrl: 'http://hourglass.test',
    resendWebhookSecret: null,
    timeoutMs: 5000,
    outbound: emulatorPolicy(emulatorUrl),
  };
}

/** Sent messages per channel. */
export function countSent(rows: MessageRow[]): { email: number; sms: number } {
  const out = { email: 0, sms: 0 };
  for (const r of rows) if (r.status === 'sent') out[r.channel]++;
  return out;
}

/** Whether a run has no workflow task and no activity in flight (it sits on its timers and signals). */
async function idle(client: Client, workflowId: string): Promise<boolean> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let tasks = 0;
  let activities = 0;
  for (const e of history.events ?? []) {
    if (e.workflowTaskScheduledEventAttributes) tasks++;
    if (
      e.workflowTaskCompletedEventAttributes ||
      e.workflowTaskFailedEventAttributes ||
      e.workflowTaskTimedOutEventAttributes
    )
      tasks--;
    if (e.activityTaskScheduledEventAttributes) activities++;
    if (
      e.activityTaskCompletedEventAttributes ||
      e.activityTaskFailedEventAttributes ||
      e.activityTaskTimedOutEventAttributes ||
      e.activityTaskCanceledEventAttributes
    )
      activities--;
  }
  return tasks <= 0 && activities <= 0;
}
