import path from 'node:path';
import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { freePort, startTemporalDevServer } from '@hourglass/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../api/harness';
import { type Emulator, startEmulator } from '../emulator/server';
import { type Api, startApi, startWorker, type WorkerProcess } from './processes';
import {
  DATA,
  MESSAGES_PER_RUN,
  orderPlaced,
  publishJourney,
  report,
  sendGraph,
  settleAndAudit,
  sleep,
  tempDir,
  uniqueQueue,
  waitFor,
} from './support';

// Fault: this test's own Temporal dev server (file-backed) is stopped while runs are mid-journey and
// events keep arriving, then started again on the same file. Runs resume from their history, events
// accepted while it was down wait in the outbox, and nothing is sent twice.

type DevServer = Awaited<ReturnType<typeof startTemporalDevServer>>;
const BEFORE = 12;
const DURING = 8;
let t: TestDatabase;
let emu: Emulator;
let api: Api | undefined;
let temporal: DevServer | undefined;
let worker: WorkerProcess | undefined;
let scratch: ReturnType<typeof tempDir> | undefined;

beforeAll(async () => {
  t = await freshDatabase('faults_temporal_restart');
  emu = await startEmulator({ seed: 12 });
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await temporal?.stop();
  scratch?.remove();
  await emu?.close();
  await t?.drop();
});

describe('fault: Temporal dev server restarted mid-run', () => {
  it('resumes every run from its history and routes events accepted while it was down', async () => {
    const started = Date.now();
    const port = await freePort();
    scratch = tempDir('temporal');
    const dbFile = path.join(scratch.dir, 'temporal.db');
    const logFile = path.join(DATA, 'faults-temporal-restart.log');
    temporal = await startTemporalDevServer({ port, dbFile, logFile });
    const taskQueue = uniqueQueue('temporal-restart');
    const tenant = await seedTenant(t.db, 'Temporal restart shop');
    const ws = tenant.workspace.id;
    const journeyId = await publishJourney(t.db, ws, sendGraph(), 4000);
    api = await startApi({ db: t.db, pool: t.pool, temporalAddress: temporal.address, taskQueue });
    worker = await startWorker({
      label: 'temporal-restart',
      databaseUrl: t.url,
      temporalAddress: temporal.address,
      taskQueue,
      emulatorUrl: emu.url,
    });

    const accepted = new Set<string>();
    const ingest = async (tag: string) => {
      const e = orderPlaced(tag);
      const res = await api!.post(tenant.keys.ingest, '/v1/events', e);
      expect(res.status).toBe(202);
      accepted.add(e.id);
    };
    for (let i = 0; i < BEFORE; i++) await ingest('tr-before');
    // Every run has sent its email and sleeps: stop Temporal now.
    await waitFor(
      'the first emails',
      async () =>
        (
          await t.pool.query(
            `select count(*)::int as n from messages where journey_id = $1 and status = 'sent'`,
            [journeyId],
          )
        ).rows[0].n >= BEFORE,
      60_000,
      50,
    );
    const sms = await t.pool.query(
      `select count(*)::int as n from messages where journey_id = $1 and channel = 'sms'`,
      [journeyId],
    );
    await temporal.stop();
    temporal = undefined;
    // The runs were mid-journey (email sent, SMS not yet) when Temporal went away.
    expect(sms.rows[0].n).toBeLessThan(BEFORE);
    // Events keep arriving while Temporal is down: all accepted (2xx), held in the outbox.
    for (let i = 0; i < DURING; i++) await ingest('tr-during');
    await sleep(1500);
    const pending = await t.pool.query(
      'select count(*)::int as n from event_outbox where workspace_id = $1 and done_at is null',
      [ws],
    );
    expect(pending.rows[0].n).toBe(DURING);
    temporal = await startTemporalDevServer({ port, dbFile, logFile });
    api.dispatcher.poke();

    const audit = await settleAndAudit({
      pool: t.pool,
      workspaceId: ws,
      journeyId,
      accepted,
      triggers: accepted,
      emulator: emu,
      injected: 1,
    });
    report('temporal-restart', audit, `seconds=${Math.round((Date.now() - started) / 1000)}`);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.unfinished).toEqual([]);
    expect(audit.unexplained).toEqual([]);
    expect(audit.runs).toBe(BEFORE + DURING);
    expect(audit.messages).toBe((BEFORE + DURING) * MESSAGES_PER_RUN);
    expect(emu.deliveries).toHaveLength((BEFORE + DURING) * MESSAGES_PER_RUN);
    expect(audit.duplicates).toBe(0);
  }, 240_000);
});
