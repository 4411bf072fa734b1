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
  sleep,
  uniqueQueue,
} from './support';

// Fault (light): duplicate, out-of-order, late and oddly dated events through the real path.
//
// The rules this pins down (POST /v1/events and /v1/events/batch):
// - The event id is the idempotency key. The first event with an id wins: 202 "accepted". Any later
//   event with that id — resent, raced in parallel, repeated inside a batch, or with a different body —
//   answers 200 "duplicate" and changes nothing (no second run, no second message).
// - Arrival order is not required: a later lifecycle event (order.delivered) may arrive before
//   order.placed; both are accepted and the journey starts once, on order.placed.
// - occurredAt is the client's own clock: stored as given (it dates order stamps and history), never a
//   reason to reject; a late event (years old) or one dated in the future is accepted and routed on
//   arrival. Only a malformed occurredAt is rejected: 400 invalid_request, field "body.occurredAt"
//   (ISO 8601 with a Z or ±hh:mm offset is required).

let t: TestDatabase;
let emu: Emulator;
let api: Api | undefined;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  t = await freshDatabase('faults_events');
  emu = await startEmulator({ seed: 15 });
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await emu?.close();
  await t?.drop();
});

describe('fault: duplicate, out-of-order and late events', () => {
  it('accepts each event once by a documented rule and never doubles an effect', async () => {
    const started = Date.now();
    const taskQueue = uniqueQueue('events');
    const tenant = await seedTenant(t.db, 'Events shop');
    const key = tenant.keys.ingest;
    const ws = tenant.workspace.id;
    const journeyId = await publishJourney(t.db, ws, sendGraph(), 300);
    api = await startApi({ db: t.db, pool: t.pool, temporalAddress: testEnv.temporalAddress, taskQueue });
    worker = await startWorker({
      label: 'events',
      databaseUrl: t.url,
      temporalAddress: testEnv.temporalAddress,
      taskQueue,
      emulatorUrl: emu.url,
    });
    const accepted = new Set<string>();
    const triggers = new Set<string>();
    let injected = 0;
    const post = async (e: ReturnType<typeof orderPlaced>, expected: 200 | 202) => {
      const res = await api!.post(key, '/v1/events', e);
      expect(res.status, `${e.id}: ${JSON.stringify(res.body)}`).toBe(expected);
      expect(res.body).toEqual({ id: e.id, status: expected === 202 ? 'accepted' : 'duplicate' });
      if (expected === 202) {
        accepted.add(e.id);
        if (e.type === 'order.placed') triggers.add(e.id);
      }
    };

    // Sequential duplicate, and a duplicate id carrying a different body (first wins).
    const first = orderPlaced('dup');
    await post(first, 202);
    await post(first, 200);
    await post({ ...first, order: { ...first.order, total: 999 } }, 200);
    injected += 2;
    const stored = await t.pool.query(
      'select o.total from events e join orders o on o.id = e.order_id where e.workspace_id = $1 and e.id = $2',
      [ws, first.id],
    );
    expect(Number(stored.rows[0].total)).toBe(42);

    // Concurrent duplicates: exactly one 202.
    const raced = orderPlaced('race');
    const answers = await Promise.all(Array.from({ length: 6 }, () => api!.post(key, '/v1/events', raced)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    accepted.add(raced.id);
    triggers.add(raced.id);
    injected += 5;

    // A batch repeating an id, and repeating one already accepted.
    const inBatch = orderPlaced('batch');
    const batch = await api.post(key, '/v1/events/batch', { events: [inBatch, inBatch, first] });
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ accepted: 1, duplicates: 2 });
    accepted.add(inBatch.id);
    triggers.add(inBatch.id);
    injected += 2;

    // Out of order: delivered before placed, for the same order.
    const placed = orderPlaced('ooo');
    await post({ ...placed, id: `${placed.id}_delivered`, type: 'order.delivered' }, 202);
    await post(placed, 202);
    injected++;

    // Late (years old) and future-dated events: accepted, stored with the client's time, routed on arrival.
    const late = orderPlaced('late', { occurredAt: '1999-12-31T23:59:59Z' });
    const future = orderPlaced('future', { occurredAt: '2199-01-01T00:00:00+02:00' });
    await post(late, 202);
    await post(future, 202);
    injected += 2;
    const dated = await t.pool.query(
      'select id, occurred_at from events where workspace_id = $1 and id = any($2) order by occurred_at',
      [ws, [late.id, future.id]],
    );
    expect(dated.rows.map((r) => (r.occurred_at as Date).toISOString())).toEqual([
      '1999-12-31T23:59:59.000Z',
      '2198-12-31T22:00:00.000Z',
    ]);

    // Malformed times: a clear 400 naming the field; nothing stored.
    for (const occurredAt of [
      'yesterday',
      '2025-06-01 10:00:00',
      '2025-06-01T10:00:00',
      '2025-13-01T00:00:00Z',
    ]) {
      const bad = orderPlaced('bad', { occurredAt });
      const res = await api.post(key, '/v1/events', bad);
      expect(res.status, occurredAt).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', field: 'body.occurredAt' });
      injected++;
    }

    const audit = await settleAndAudit({
      pool: t.pool,
      workspaceId: ws,
      journeyId,
      accepted,
      triggers,
      emulator: emu,
      injected,
      timeoutMs: 30_000,
    });
    // Late duplicates: everything again after the runs finished changes nothing.
    for (const id of accepted) {
      const original = [first, raced, inBatch, placed, late, future].find((e) => e.id === id) ?? {
        ...placed,
        id,
        type: 'order.delivered',
      };
      await post(original, 200);
      injected++;
    }
    api.dispatcher.poke();
    await sleep(1000);
    const runs = await t.pool.query('select count(*)::int as n from journey_runs where journey_id = $1', [
      journeyId,
    ]);
    expect(runs.rows[0].n).toBe(audit.runs);
    audit.injected = injected;
    report('events', audit, `seconds=${Math.round((Date.now() - started) / 1000)}`);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.unfinished).toEqual([]);
    expect(audit.unexplained).toEqual([]);
    expect(audit.runs).toBe(triggers.size);
    expect(audit.messages).toBe(triggers.size * MESSAGES_PER_RUN);
    expect(emu.deliveries).toHaveLength(triggers.size * MESSAGES_PER_RUN);
    expect(audit.duplicates).toBe(0);
    const bad = await t.pool.query(
      `select count(*)::int as n from events where workspace_id = $1 and id like 'evt_bad_%'`,
      [ws],
    );
    expect(bad.rows[0].n).toBe(0);
  });
});
