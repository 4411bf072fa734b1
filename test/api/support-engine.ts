import { randomUUID } from 'node:crypto';
import type { Graph } from '@hourglass/journey';
import { type contract, type Dispatcher, startDispatcher } from '@hourglass/server';
import { createWorker } from '@hourglass/workflows';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { registerSearchAttributes } from '../e2e/harness';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';
import { type Harness, harness, seedTenant, withKey } from './harness';

/** The API with the real engine: a worker on the shared Temporal server, the dispatcher, the provider emulator. */
export interface EngineHarness extends Harness {
  emulator: Emulator;
  tenant: Awaited<ReturnType<typeof seedTenant>>;
  other: Awaited<ReturnType<typeof seedTenant>>;
  /** Creates and publishes a journey in the main tenant. */
  publish(name: string, graph: Graph): Promise<contract.Journey>;
  /** Posts an event with the ingest key. */
  ingest(event: unknown): Promise<void>;
  /** GET with the read key (or another key); parses JSON. */
  get<T = unknown>(url: string, key?: string): Promise<{ status: number; body: T }>;
  /** Polls until `fn` returns a value. */
  until<T>(fn: () => Promise<T | null | undefined | false>, ms?: number): Promise<T>;
}

/** Starts it all for one test file. */
export async function engineHarness(label: string): Promise<EngineHarness> {
  const emulator = await startEmulator();
  const channels = channelsConfig(emulator.url);
  const taskQueue = `${label}-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address: testEnv.temporalAddress });
  await registerSearchAttributes(connection);
  const client = new Client({ connection, namespace: 'default' });
  let poke = () => {};
  const h = await harness(label, {
    temporal: { client, taskQueue },
    channels,
    onEventsAccepted: () => poke(),
  });
  const native = await NativeConnection.connect({ address: testEnv.temporalAddress });
  const worker: Worker = await createWorker({
    connection: native,
    config: { address: testEnv.temporalAddress, namespace: 'default', taskQueue },
    bundle: workflowBundle(),
    activities: { db: h.t.db, engine: { jitterMs: 0 }, channels },
  });
  const running = worker.run();
  const dispatcher: Dispatcher = startDispatcher({
    db: h.t.db,
    temporal: { client, taskQueue },
    log: h.app.log,
    pollMs: 200,
  });
  poke = dispatcher.poke;
  const tenant = await seedTenant(h.t.db, `${label}-a`);
  const other = await seedTenant(h.t.db, `${label}-b`);

  const inject = async (key: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await h.app.inject(
      withKey(key, { method, url, ...(payload ? { payload: payload as object } : {}) }),
    );
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const self: EngineHarness = {
    ...h,
    emulator,
    tenant,
    other,
    async publish(name, graph) {
      const created = await inject(tenant.keys.write, 'POST', '/v1/journeys', { name, graph });
      if (created.status !== 201 && created.status !== 200)
        throw new Error(`create: ${JSON.stringify(created.body)}`);
      const j = created.body as contract.Journey;
      const pub = await inject(tenant.keys.write, 'POST', `/v1/journeys/${j.id}/publish`, {});
      if (pub.status >= 300) throw new Error(`publish: ${JSON.stringify(pub.body)}`);
      return j;
    },
    async ingest(event) {
      const res = await inject(tenant.keys.ingest, 'POST', '/v1/events', event);
      if (res.status >= 300) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async get<T>(url: string, key = tenant.keys.read) {
      return (await inject(key, 'GET', url)) as { status: number; body: T };
    },
    async until(fn, ms = 45_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    async close() {
      await dispatcher.stop();
      worker.shutdown();
      await running.catch(() => {});
      await native.close().catch(() => {});
      await h.close();
      await connection.close().catch(() => {});
      await emulator.close();
    },
  };
  return self;
}
