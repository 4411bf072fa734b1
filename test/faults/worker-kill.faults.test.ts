import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../api/harness';
import { type Emulator, startEmulator } from '../emulator/server';
import { testEnv } from '../src/env';
import { type Api, startApi, startWorker, type WorkerProcess } from './processes';
import {
  alive,
  MESSAGES_PER_RUN,
  orderPlaced,
  publishJourney,
  report,
  sendGraph,
  settleAndAudit,
  uniqueQueue,
  waitFor,
} from './support';

// Fault: the worker is killed with SIGKILL twice while it is sending; a new one takes over each time.
// Temporal retries the interrupted activities; the send idempotency keys keep every message single.

const RUNS = 24;
let t: TestDatabase;
let emu: Emulator;
let api: Api;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  t = await freshDatabase('faults_worker_kill');
  emu = await startEmulator({ seed: 11 });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await api?.close();
  await emu?.close();
  await t?.drop();
});

describe('fault: worker killed with SIGKILL during sends', () => {
  it('finishes every run after restarts, no message twice, none lost', async () => {
    const started = Date.now();
    const taskQueue = uniqueQueue('worker-kill');
    const tenant = await seedTenant(t.db, 'Worker kill shop');
    const ws = tenant.workspace.id;
    const journeyId = await publishJourney(t.db, ws, sendGraph(), 1500);
    api = await startApi({ db: t.db, pool: t.pool, temporalAddress: testEnv.temporalAddress, taskQueue });
    const worker = () =>
      startWorker({
        label: 'worker-kill',
        databaseUrl: t.url,
        temporalAddress: testEnv.temporalAddress,
        taskQueue,
        emulatorUrl: emu.url,
      }).then((w) => {
        workers.push(w);
        return w;
      });
    let current = await worker();

    const accepted = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const e = orderPlaced('kill');
      const res = await api.post(tenant.keys.ingest, '/v1/events', e);
      expect(res.status).toBe(202);
      accepted.add(e.id);
    }
    const sent = async () =>
      (
        await t.pool.query(
          `select count(*)::int as n from messages where journey_id = $1 and status = 'sent'`,
          [journeyId],
        )
      ).rows[0].n as number;
    let injected = 0;
    // Kill once the first emails are out, and again while the SMS wave is under way.
    for (const threshold of [RUNS / 2, RUNS + RUNS / 4]) {
      await waitFor(`${threshold} messages`, async () => (await sent()) >= threshold, 60_000, 50);
      const pid = current.child.pid;
      await current.kill9();
      expect(alive(pid)).toBe(false);
      injected++;
      current = await worker();
    }

    const audit = await settleAndAudit({
      pool: t.pool,
      workspaceId: ws,
      journeyId,
      accepted,
      triggers: accepted,
      emulator: emu,
      injected,
    });
    report('worker-kill', audit, `seconds=${Math.round((Date.now() - started) / 1000)}`);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.unfinished).toEqual([]);
    expect(audit.unexplained).toEqual([]);
    expect(audit.runs).toBe(RUNS);
    expect(audit.messages).toBe(RUNS * MESSAGES_PER_RUN);
    expect(emu.deliveries).toHaveLength(RUNS * MESSAGES_PER_RUN);
    expect(audit.duplicates).toBe(0);
  }, 180_000);
});
