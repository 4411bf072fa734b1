import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../api/harness';
import { type Emulator, startEmulator } from '../emulator/server';
import { testEnv } from '../src/env';
import { type Api, startApi, startWorker, type WorkerProcess } from './processes';
import {
  MESSAGES_PER_RUN,
  orderPlaced,
  publishJourney,
  report,
  sendGraph,
  settleAndAudit,
  uniqueQueue,
} from './support';

// Fault (light): a provider storm through the real journey path. Events go in through the API, the
// dispatcher starts runs, the worker sends through the emulated Resend and Twilio while 30% of sends
// fail (429 with Retry-After, 500, hangs past the timeout, answers lost after the send). Temporal
// retries the send activity; the idempotency keys make every message reach its customer once.

const RUNS = 12;
let t: TestDatabase;
let emu: Emulator;
let api: Api | undefined;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  t = await freshDatabase('faults_storm');
  emu = await startEmulator({ seed: 14, retryAfterSeconds: 0.05 });
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await emu?.close();
  await t?.drop();
});

describe('fault: provider storm through journeys', () => {
  it('delivers every message exactly once with 30% provider faults', async () => {
    const started = Date.now();
    const taskQueue = uniqueQueue('storm');
    const tenant = await seedTenant(t.db, 'Storm shop');
    const ws = tenant.workspace.id;
    const journeyId = await publishJourney(t.db, ws, sendGraph(), 300, {
      maxAttempts: 12,
      initialIntervalMs: 200,
      backoff: 1.5,
      maxIntervalMs: 1000,
    });
    api = await startApi({ db: t.db, pool: t.pool, temporalAddress: testEnv.temporalAddress, taskQueue });
    worker = await startWorker({
      label: 'storm',
      databaseUrl: t.url,
      temporalAddress: testEnv.temporalAddress,
      taskQueue,
      emulatorUrl: emu.url,
    });
    emu.setFaults(0.3);
    const accepted = new Set<string>();
    const batch = Array.from({ length: RUNS }, () => orderPlaced('storm'));
    const res = await api.post(tenant.keys.ingest, '/v1/events/batch', { events: batch });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(RUNS);
    for (const e of batch) accepted.add(e.id);

    const audit = await settleAndAudit({
      pool: t.pool,
      workspaceId: ws,
      journeyId,
      accepted,
      triggers: accepted,
      emulator: emu,
      injected: () => emu.requests.filter((r) => r.fault).length,
      timeoutMs: 45_000,
    });
    emu.setFaults(0);
    report('provider-storm', audit, `seconds=${Math.round((Date.now() - started) / 1000)}`);
    // The storm really happened, and every kind of fault is survivable.
    expect(audit.injected).toBeGreaterThan(3);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.unfinished).toEqual([]);
    expect(audit.unexplained).toEqual([]);
    expect(audit.runs).toBe(RUNS);
    expect(audit.messages).toBe(RUNS * MESSAGES_PER_RUN);
    expect(emu.deliveries).toHaveLength(RUNS * MESSAGES_PER_RUN);
    expect(audit.duplicates).toBe(0);
  });
});
