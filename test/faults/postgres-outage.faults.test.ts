import { createDb, type DbHandle, migrate } from '@hourglass/db';
import { freePort, startPostgres } from '@hourglass/devstack';
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
  sleep,
  tempDir,
  uniqueQueue,
  within,
} from './support';

// Fault: this test's own PostgreSQL is stopped under ingest load and started again. While it is down the
// API answers 503 + Retry-After (code "unavailable"), never 500; clients retry the same event id; once
// it is back the pool reconnects by itself and nothing accepted is lost or applied twice.

type Pg = Awaited<ReturnType<typeof startPostgres>>;
const POSTERS = 3;
let pgServer: Pg | undefined;
let scratch: ReturnType<typeof tempDir> | undefined;
let handle: DbHandle | undefined;
let emu: Emulator;
let api: Api | undefined;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  emu = await startEmulator({ seed: 13 });
});
afterAll(async () => {
  await within('worker stop', worker?.stop() ?? Promise.resolve());
  await within('api close', api?.close() ?? Promise.resolve());
  // PostgreSQL first: a client the outage left checked out is only let go once its server is gone.
  await within('postgres stop', pgServer?.stop() ?? Promise.resolve());
  await within('pool close', handle?.close() ?? Promise.resolve(), 5000);
  scratch?.remove();
  await within('emulator close', emu?.close() ?? Promise.resolve());
});

describe('fault: PostgreSQL stopped and started under ingest load', () => {
  it('answers 503 with Retry-After while it is down and recovers by itself', async () => {
    const started = Date.now();
    scratch = tempDir('postgres');
    const dir = scratch.dir;
    const port = await freePort();
    pgServer = await startPostgres({ dir, port, fast: true });
    const url = pgServer.url;
    await migrate(url);
    handle = createDb(url, { max: 10, applicationName: 'faults-api' });
    const { db, pool } = handle;
    const tenant = await seedTenant(db, 'Postgres outage shop');
    const ws = tenant.workspace.id;
    const journeyId = await publishJourney(db, ws, sendGraph(), 1000);
    const taskQueue = uniqueQueue('pg-outage');
    api = await startApi({ db, pool, temporalAddress: testEnv.temporalAddress, taskQueue });
    worker = await startWorker({
      label: 'pg-outage',
      databaseUrl: url,
      temporalAddress: testEnv.temporalAddress,
      taskQueue,
      emulatorUrl: emu.url,
    });

    const accepted = new Set<string>();
    const triggers = new Set<string>();
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let phase: 'up' | 'down' | 'back' = 'up';
    let acceptedAfterRecovery = 0;
    let running = true;
    // One poster: an order.placed for a new customer, then two page views for it; a 503 is retried
    // with the same event id after a short wait (a real client would wait Retry-After).
    const poster = async (n: number) => {
      while (running) {
        const order = orderPlaced(`pg${n}`);
        const batch = [
          order,
          { ...order, id: `${order.id}_v1`, type: 'page.viewed', order: undefined },
          { ...order, id: `${order.id}_v2`, type: 'page.viewed', order: undefined },
        ];
        for (const e of batch) {
          for (;;) {
            const res = await api!.post(tenant.keys.ingest, '/v1/events', e);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 202 || res.status === 200) {
              accepted.add(e.id);
              if (e.type === 'order.placed') triggers.add(e.id);
              if (phase === 'back') acceptedAfterRecovery++;
              break;
            }
            if (res.status !== 503 || res.body.code !== 'unavailable' || !res.retryAfter) {
              bad.push(`${res.status} ${JSON.stringify(res.body)} retry-after=${res.retryAfter}`);
              break;
            }
            await sleep(150);
          }
        }
        await sleep(120);
      }
    };
    const load = Promise.all(Array.from({ length: POSTERS }, (_, n) => poster(n)));
    await sleep(2000);
    await pgServer.stop();
    phase = 'down';
    await sleep(3000);
    pgServer = await startPostgres({ dir, port, fast: true });
    phase = 'back';
    const deadline = Date.now() + 20_000;
    while (acceptedAfterRecovery < 10 && Date.now() < deadline) await sleep(100);
    running = false;
    await load;

    // The worker process must ride out the restart like the API does (its pool reconnects); a crash here
    // is node-postgres emitting 'error' on a checked-out client nobody listens to (see survivePoolOutages).
    const crash = worker.crashed();
    expect(crash, `the worker process crashed when PostgreSQL restarted:\n${crash}`).toBeNull();
    expect(bad).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(acceptedAfterRecovery).toBeGreaterThanOrEqual(10);
    // Health tells the outage apart too, but ingest is what clients see: it is back without a restart.
    const audit = await settleAndAudit({
      pool,
      workspaceId: ws,
      journeyId,
      accepted,
      triggers,
      emulator: emu,
      injected: 1,
    });
    report(
      'postgres-outage',
      audit,
      `answers503=${statuses.get(503) ?? 0} answers500=${statuses.get(500) ?? 0} seconds=${Math.round((Date.now() - started) / 1000)}`,
    );
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.unfinished).toEqual([]);
    expect(audit.unexplained).toEqual([]);
    expect(audit.runs).toBe(triggers.size);
    expect(audit.messages).toBe(triggers.size * MESSAGES_PER_RUN);
    expect(audit.duplicates).toBe(0);
  }, 240_000);
});
