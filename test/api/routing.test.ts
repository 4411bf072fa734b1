import path from 'node:path';
import { countPendingOutbox, listRuns } from '@hourglass/db';
import { freePort, startTemporalDevServer } from '@hourglass/devstack';
import { createTemporalClient, type Dispatcher, startDispatcher } from '@hourglass/server';
import { temporalConfigFromEnv } from '@hourglass/workflows';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from './graphs';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// Durable routing: events accepted while Temporal is down reach their journeys once it is back.
// This test runs its own Temporal dev server so it can stop and start it.

type DevServer = Awaited<ReturnType<typeof startTemporalDevServer>>;
const taskQueue = `routing-${Date.now()}`;
let port: number;
let temporal: DevServer | null = null;
let h: Harness;
let dispatcher: Dispatcher;
let clientConnection: { close: () => Promise<void> };
const logFile = path.resolve(import.meta.dirname, '../../data/test/temporal-routing.log');

const waitFor = async (fn: () => Promise<boolean>, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('timed out');
};

// The test package does not depend on @temporalio/workflow; resolve it from the workflows package.
async function standInBundle() {
  return bundleWorkflowCode({
    workflowsPath: path.resolve(import.meta.dirname, 'stand-in-workflow.ts'),
    logger: {
      log: () => {},
      info: () => {},
      warn: () => {},
      error: () => {},
      debug: () => {},
      trace: () => {},
    },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        modules: [path.resolve(import.meta.dirname, '../../workflows/node_modules'), 'node_modules'],
      },
    }),
  });
}

beforeAll(async () => {
  port = await freePort();
  const { client, connection } = createTemporalClient(
    temporalConfigFromEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_TASK_QUEUE: taskQueue }),
  );
  clientConnection = connection;
  h = await harness('api_routing', { temporal: { client, taskQueue } });
  dispatcher = startDispatcher({
    db: h.t.db,
    temporal: { client, taskQueue },
    log: { info: () => {}, warn: () => {}, error: () => {} },
    pollMs: 100,
    backoffMs: 100,
  });
});

afterAll(async () => {
  await dispatcher?.stop();
  await clientConnection?.close().catch(() => {});
  await h?.close();
  await temporal?.stop();
});

describe('durable routing', () => {
  it('routes events accepted while Temporal is down once it is back', async () => {
    const tenant = await seedTenant(h.t.db, 'Routing shop');
    const key = tenant.keys.all;
    const created = await h.app.inject(
      withKey(key, {
        method: 'POST',
        url: '/v1/journeys',
        payload: { name: 'Thanks', graph: simpleGraph() },
      }),
    );
    expect(created.statusCode).toBe(201);
    const journeyId = created.json().id;
    const published = await h.app.inject(
      withKey(key, { method: 'POST', url: `/v1/journeys/${journeyId}/publish`, payload: {} }),
    );
    expect(published.statusCode).toBe(201);

    // Temporal is down: every event is still accepted.
    const events = [orderEvent('r1', 10), orderEvent('r2', 20), orderEvent('r3', 30)];
    for (const e of events) {
      const res = await h.app.inject(withKey(key, { method: 'POST', url: '/v1/events', payload: e }));
      expect(res.statusCode).toBe(202);
    }
    const other = await h.app.inject(
      withKey(key, {
        method: 'POST',
        url: '/v1/events',
        payload: { ...orderEvent('r1', 5), type: 'page.viewed', order: undefined },
      }),
    );
    expect(other.statusCode).toBe(202);
    dispatcher.poke();
    await new Promise((r) => setTimeout(r, 1500));
    // The three order events need Temporal and must all still be pending; the page view matches no
    // journey and has no run to signal, so it may already be done without Temporal.
    expect(await countPendingOutbox(h.t.db, tenant.workspace.id)).toBeGreaterThanOrEqual(3);
    expect(await listRuns(h.t.db, tenant.workspace.id)).toHaveLength(0);

    // Temporal comes up (with a worker running the stand-in workflow): the backlog drains.
    temporal = await startTemporalDevServer({ port, logFile });
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowBundle: await standInBundle(),
    });
    const running = worker.run();
    try {
      await waitFor(async () => (await countPendingOutbox(h.t.db, tenant.workspace.id)) === 0);
      const runs = await listRuns(h.t.db, tenant.workspace.id, { journeyId });
      expect(runs).toHaveLength(3);
      expect(new Set(runs.map((r) => r.triggerEventId))).toEqual(new Set(events.map((e) => e.id)));
      const { client } = createTemporalClient(temporalConfigFromEnv({ TEMPORAL_ADDRESS: temporal.address }));
      for (const run of runs) {
        const description = await client.workflow.getHandle(run.workflowId).describe();
        expect(description.type).toBe('journeyRun');
        expect(description.status.name).toBe('RUNNING');
      }
      // The same event again starts nothing new (duplicate), a new order of r1 starts its own run.
      const dup = await h.app.inject(withKey(key, { method: 'POST', url: '/v1/events', payload: events[0] }));
      expect(dup.json().status).toBe('duplicate');
      const second = orderEvent('r1', 40);
      await h.app.inject(withKey(key, { method: 'POST', url: '/v1/events', payload: second }));
      await waitFor(async () => (await countPendingOutbox(h.t.db, tenant.workspace.id)) === 0);
      expect(await listRuns(h.t.db, tenant.workspace.id, { journeyId })).toHaveLength(4);
      // The first run of r1 was signalled the second order event.
      const r1 = runs.find((r) => r.triggerEventId === events[0]!.id)!;
      await client.workflow.getHandle(r1.workflowId).signal('cancel');
      const result = await client.workflow.getHandle(r1.workflowId).result();
      expect(result.events).toContain(second.id);
    } finally {
      worker.shutdown();
      await running;
      await workerConnection.close();
    }
  }, 180_000);
});
