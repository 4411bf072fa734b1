import { randomUUID } from 'node:crypto';
import { getCustomerByExternalId, listRuns } from '@hourglass/db';
import { type Dispatcher, startDateSchedules, startDispatcher, syncDateSchedules } from '@hourglass/server';
import {
  createWorker,
  DATE_SWEEP_WORKFLOW,
  dateSweepScheduleId,
  deleteDateSweepSchedule,
  triggerDateSweep,
} from '@hourglass/workflows';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSearchAttributes } from '../e2e/harness';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';
import { simpleGraph } from './graphs';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Date-triggered journeys through a Temporal Schedule per workspace, on the shared dev server: the
// API start puts the schedules in place, and triggering one runs the real sweep workflow and activity
// on a real worker, whose events the dispatcher routes to runs.

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const taskQueue = `dates-${randomUUID().slice(0, 8)}`;
let h: Harness;
let connection: Connection;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let dispatcher: Dispatcher;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Local date (YYYY-MM-DD) and minutes since local midnight in `timeZone` at `at`. */
function localNow(timeZone: string, at = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Workflow ids of the sweeps a schedule started so far. */
async function sweepsStarted(workspaceId: string): Promise<string[]> {
  const d = await client.schedule.getHandle(dateSweepScheduleId(workspaceId)).describe();
  return d.info.recentActions.map((a) => a.action.workflow.workflowId);
}

beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  await registerSearchAttributes(connection);
  client = new Client({ connection, namespace: 'default' });
  h = await harness('api_dates', { temporal: { client, taskQueue } });
  native = await NativeConnection.connect({ address: testEnv.temporalAddress });
  worker = await createWorker({
    connection: native,
    config: { address: testEnv.temporalAddress, namespace: 'default', taskQueue },
    bundle: workflowBundle(),
    activities: { db: h.t.db, engine: { jitterMs: 0 } },
  });
  running = worker.run();
  dispatcher = startDispatcher({ db: h.t.db, temporal: { client, taskQueue }, log: silent, pollMs: 100 });
  tenant = await seedTenant(h.t.db, 'Dates shop');
  other = await seedTenant(h.t.db, 'Other dates shop');
});

afterAll(async () => {
  for (const t of [tenant, other])
    if (t) await deleteDateSweepSchedule(client, t.workspace.id).catch(() => {});
  await dispatcher?.stop();
  worker?.shutdown();
  await running?.catch(() => {});
  await native?.close().catch(() => {});
  await h?.close();
  await connection?.close().catch(() => {});
});

describe('date schedules', () => {
  it('puts one schedule per workspace in place when the API starts, idempotently', async () => {
    const schedules = startDateSchedules({
      db: h.t.db,
      temporal: { client, taskQueue },
      log: silent,
      retryMs: 500,
    });
    await schedules.ready;
    schedules.stop();
    // Starting again (a restart, or a second API process) updates instead of failing.
    expect(await syncDateSchedules(h.t.db, { client, taskQueue })).toBe(2);
    for (const t of [tenant, other]) {
      const d = await client.schedule.getHandle(`hourglass-dates-${t.workspace.id}`).describe();
      expect(d.spec.intervals?.map((i) => i.every)).toEqual([15 * 60_000]);
      expect(d.policies.overlap).toBe('SKIP');
      expect(d.policies.catchupWindow).toBe(24 * 3_600_000);
      expect(d.action.workflowType).toBe(DATE_SWEEP_WORKFLOW);
      expect(d.action.taskQueue).toBe(taskQueue);
      expect(d.action.args).toEqual([{ workspaceId: t.workspace.id }]);
      expect(d.state.paused).toBe(false);
    }
  });

  it('starts the runs due at each customer’s local time, once per local day', async () => {
    const ws = tenant.workspace.id;
    await syncDateSchedules(h.t.db, { client, taskQueue });
    // The trigger's local time is one minute ago in Chicago, so a Chicago birthday is due now.
    const chicago = localNow('America/Chicago');
    const at = Math.max(0, chicago.minutes - 1);
    const graph = simpleGraph('order.placed', {
      start: {
        kind: 'date',
        source: 'birthday',
        attribute: '',
        offsetDays: 0,
        hour: Math.floor(at / 60),
        minute: at % 60,
      },
      scope: 'customer',
      entry: { rule: 'every_time' },
    });
    const created = await h.app.inject(
      withKey(tenant.keys.all, { method: 'POST', url: '/v1/journeys', payload: { name: 'Birthday', graph } }),
    );
    expect(created.statusCode).toBe(201);
    const journeyId = created.json().id as string;
    const published = await h.app.inject(
      withKey(tenant.keys.all, { method: 'POST', url: `/v1/journeys/${journeyId}/publish`, payload: {} }),
    );
    expect(published.statusCode).toBe(201);

    // A customer whose birthday it is too, in a zone where the trigger's time has not come yet (with
    // a margin); just after midnight in Chicago no zone is that early, then it is tomorrow's birthday.
    const early = Intl.supportedValuesOf('timeZone')
      .map((zone) => ({ zone, ...localNow(zone) }))
      .find((z) => z.minutes < at - 5);
    const notYet = early
      ? { timezone: early.zone, birthday: `1991-${early.date.slice(5)}` }
      : {
          timezone: 'America/Chicago',
          birthday: `1991-${localNow('America/Chicago', new Date(Date.now() + 86_400_000)).date.slice(5)}`,
        };
    const profile = (externalId: string, customer: Record<string, string>) => ({
      id: `profile-${externalId}`,
      type: 'profile.updated',
      customer: { externalId, ...customer },
    });
    for (const payload of [
      profile('due', { timezone: 'America/Chicago', birthday: `1990-${chicago.date.slice(5)}` }),
      profile('not-yet', notYet),
    ]) {
      const res = await h.app.inject(
        withKey(tenant.keys.ingest, { method: 'POST', url: '/v1/events', payload }),
      );
      expect(res.statusCode).toBe(202);
    }

    await triggerDateSweep(client, ws);
    const runs = await until(async () => {
      const r = await listRuns(h.t.db, ws, { journeyId });
      return r.length > 0 && r;
    });
    expect(runs).toHaveLength(1);
    const due = await getCustomerByExternalId(h.t.db, ws, 'due');
    expect(runs[0]!.customerId).toBe(due?.id);
    const first = await until(async () => {
      const ids = await sweepsStarted(ws);
      return ids.length > 0 && ids;
    });
    const results = await Promise.all(first.map((id) => client.workflow.getHandle(id).result()));
    expect(results.reduce((n, r: { enqueued: number }) => n + r.enqueued, 0)).toBe(1);

    // Triggered again on the same local day: the sweep runs, enqueues nothing, and no run starts.
    await triggerDateSweep(client, ws);
    const all = await until(async () => {
      const ids = await sweepsStarted(ws);
      return ids.length > first.length && ids;
    });
    const again = await Promise.all(
      all.filter((id) => !first.includes(id)).map((id) => client.workflow.getHandle(id).result()),
    );
    expect(again.map((r: { enqueued: number }) => r.enqueued)).toEqual(again.map(() => 0));
    await dispatcher.drain(10_000);
    expect(await listRuns(h.t.db, ws, { journeyId })).toHaveLength(1);
    // The other workspace's schedule swept nothing of this one's.
    expect(await listRuns(h.t.db, other.workspace.id)).toHaveLength(0);
  });
});
