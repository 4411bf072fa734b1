import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createApiKey,
  createJourney,
  getWorkspace,
  publishVersion,
  updateWorkspaceSettings,
  WorkspaceSettings,
} from '@hourglass/db';
import type { Graph, Json } from '@hourglass/journey';
import { compileJourney } from '@hourglass/nodes';
import { buildApp, type Dispatcher, startDispatcher } from '@hourglass/server';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { testConfig } from '../channels/helpers';
import { listenAsPublicUrl, type Providers, startProviders } from '../channels/providers';
import { createHarness, type Harness } from './harness';

// Journeys driven the way a deployment drives them: events POSTed to /v1/events, stored with their
// outbox row, routed by the dispatcher to runs on the Temporal dev server. Waits and delays are
// shortened to fractions of a second so a week and three days pass in a test.

/** The API, the dispatcher and the harness behind them. */
export interface EngagementEnv {
  h: Harness;
  app: FastifyInstance;
  dispatcher: Dispatcher;
  key: string;
  /**
   * With `providers`: the emulator the worker's real Resend and Twilio SDKs send through, and the
   * channels config the worker and the API share (its public URL is the API's port, where the
   * emulator's signed webhooks arrive). Otherwise null, and messages go to the channels outbox.
   */
  providers: Providers | null;
  close(): Promise<void>;
}

export async function engagementEnv(
  name: string,
  opts: { providers?: boolean } = {},
): Promise<EngagementEnv> {
  const providers = opts.providers ? await startProviders() : null;
  const channels = providers?.config ?? testConfig();
  const h = await createHarness(name, { timeSkipping: false, ...(providers ? { channels } : {}) });
  const temporal = { client: h.client, taskQueue: h.taskQueue };
  const dispatcher = startDispatcher({
    db: h.db.db,
    temporal,
    log: { info() {}, warn() {}, error() {} },
    pollMs: 100,
  });
  const app = await buildApp({
    db: h.db.db,
    temporal,
    onEventsAccepted: () => dispatcher.poke(),
    channels,
    pingDatabase: () => h.db.pool.query('select 1'),
    pingTemporal: async () => {},
  });
  if (providers) await listenAsPublicUrl(app, providers.config);
  const key = `hg_test_admin_${randomBytes(16).toString('hex')}`;
  await createApiKey(h.db.db, h.ws.id, {
    name: 'admin',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['admin', 'ingest', 'read'],
  });
  const ws = await getWorkspace(h.db.db, h.ws.id);
  const settings = WorkspaceSettings.parse(ws?.settings ?? {});
  await updateWorkspaceSettings(h.db.db, h.ws.id, {
    ...settings,
    brand: { ...settings.brand, supportEmail: 'support@shop.example' },
    links: { ...settings.links, reviewUrl: 'https://shop.example/review/{order.number}' },
  });
  return {
    h,
    app,
    dispatcher,
    key,
    providers,
    async close() {
      await app.close();
      await dispatcher.stop();
      await h.close();
      await providers?.close();
    },
  };
}

/** Publishes a graph with every duration sleep at `sleepMs` and every wait's timeout at `waitMs`. */
export async function publishShort(env: EngagementEnv, graph: Graph, sleepMs: number, waitMs: number) {
  const { h } = env;
  const compiled = compileJourney(graph, { smsSenderConfigured: true });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  for (const step of Object.values(compiled.plan.steps)) {
    if (step.type === 'sleep' && step.wake.kind === 'duration') step.wake = { kind: 'duration', ms: sleepMs };
    if (step.type === 'await') step.timeoutMs = waitMs;
  }
  const id = (await createJourney(h.db.db, h.ws.id, { name: `j-${randomUUID().slice(0, 8)}` })).id;
  await publishVersion(h.db.db, h.ws.id, id, { graph, plan: compiled.plan, planHash: compiled.plan.hash });
  return id;
}

/** POSTs one event for a customer (by external id) and routes it. */
export async function postEvent(
  env: EngagementEnv,
  customer: string,
  type: string,
  extra: { order?: string; properties?: Record<string, Json> } = {},
) {
  const res = await env.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${env.key}` },
    payload: {
      id: randomUUID(),
      type,
      customer: {
        externalId: customer,
        email: `${customer}@example.com`,
        phone: `+1555${String(Math.abs(hash(customer)) % 10_000_000).padStart(7, '0')}`,
        consent: { email: 'subscribed', sms: 'subscribed' },
      },
      ...(extra.order ? { order: { externalId: extra.order, total: 40 } } : {}),
      ...(extra.properties ? { properties: extra.properties } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(202);
  await env.dispatcher.drain();
}

const hash = (s: string) => [...s].reduce((a, c) => (a * 31 + c.charCodeAt(0)) | 0, 7);

/** A customer's id by external id. */
export async function customerId(env: EngagementEnv, externalId: string): Promise<string> {
  const { rows } = await env.h.db.pool.query<{ id: string }>(
    'select id from customers where workspace_id = $1 and external_id = $2',
    [env.h.ws.id, externalId],
  );
  if (!rows[0]) throw new Error(`no customer ${externalId}`);
  return rows[0].id;
}

/** Polls `read` until `ok` (10 s), else fails with the last value. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await read())}`);
}

/**
 * The customer's run of a journey and the message its step `stepId` sent (once both exist); with
 * `after`, a run other than that one (a second order's run, once it has sent).
 */
export async function runAndMessage(
  env: EngagementEnv,
  journeyId: string,
  customer: string,
  stepId: string,
  after?: { run_id: string },
) {
  const id = await customerId(env, customer);
  return until(
    `the ${stepId} message of ${customer}`,
    async () => {
      const { rows } = await env.h.db.pool.query<{ run_id: string; message_id: string; workflow_id: string }>(
        `select r.id as run_id, m.id as message_id, r.workflow_id from journey_runs r
           join messages m on m.workspace_id = r.workspace_id and m.run_id = r.id and m.step_id = $3
          where r.workspace_id = $1 and r.journey_id = $2 and r.customer_id = $4
          order by r.started_at desc limit 1`,
        [env.h.ws.id, journeyId, stepId, id],
      );
      return rows[0];
    },
    (r) => r !== undefined && r.run_id !== after?.run_id,
  ) as Promise<{ run_id: string; message_id: string; workflow_id: string }>;
}
