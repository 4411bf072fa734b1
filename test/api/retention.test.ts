import { createJourney, pruneWorkspace } from '@hourglass/db';
import { testGraph } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// Retention: the workspace setting (validated like any other) and the batch deleter it drives. Old
// events go (with their outbox rows) unless routing still needs them or an active run started from
// them; finished runs lose their steps and duplicate status entries, never their messages; orders,
// customers and active runs are untouched.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  h = await harness('api_retention');
  a = await seedTenant(h.t.db, 'Retention shop');
});
afterAll(async () => h?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  h.app.inject(withKey(a.keys.all, { method, url, ...(payload ? { payload } : {}) }));
const q = async (text: string, params: unknown[] = []) => (await h.t.pool.query(text, params)).rows;

describe('retention settings', () => {
  it('default to 400 days and take 30 to 3650 days, naming the field otherwise', async () => {
    expect((await call('GET', '/v1/workspace/settings')).json().retention).toEqual({
      eventsDays: 400,
      runHistoryDays: 400,
    });
    for (const [value, field] of [
      [{ eventsDays: 7 }, 'body.retention.eventsDays'],
      [{ runHistoryDays: 5000 }, 'body.retention.runHistoryDays'],
      [{ eventsDays: 'forever' }, 'body.retention.eventsDays'],
      [{ eventsDays: 45.5 }, 'body.retention.eventsDays'],
    ] as const) {
      const res = await call('PATCH', '/v1/workspace/settings', { retention: value });
      expect(res.statusCode, JSON.stringify(value)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', field });
    }
    const res = await call('PATCH', '/v1/workspace/settings', { retention: { eventsDays: 90 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().retention).toEqual({ eventsDays: 90, runHistoryDays: 400 });
  });
});

describe('the retention pass', () => {
  it('removes expired history in batches and keeps what is still needed', async () => {
    const ws = a.workspace.id;
    await call('PATCH', '/v1/workspace/settings', { retention: { eventsDays: 100, runHistoryDays: 200 } });
    const events = [
      ...[500, 300, 150].map((d) => orderEvent('ada', 10, { occurredAt: ago(d) })),
      orderEvent('ada', 10, { occurredAt: ago(20) }),
      orderEvent('bob', 10, { occurredAt: ago(400) }),
      orderEvent('bob', 10, { occurredAt: ago(400) }),
    ];
    for (const e of events) expect((await call('POST', '/v1/events', e)).statusCode).toBeLessThan(300);
    const [pendingOld, triggerOfActive] = [events[4]!.id, events[5]!.id];
    // The dispatcher routed all but one of them.
    await q(
      `update events set routing_state = 'routed', routed_at = now() where workspace_id = $1 and id <> $2`,
      [ws, pendingOld],
    );
    await q('update event_outbox set done_at = now() where workspace_id = $1 and event_id <> $2', [
      ws,
      pendingOld,
    ]);

    const journey = await createJourney(h.t.db, ws, { name: 'Winback', draftGraph: testGraph() });
    const [bob] = await q(`select id from customers where workspace_id = $1 and external_id = 'bob'`, [ws]);
    const run = async (name: string, status: string, endedDaysAgo: number | null, trigger: string | null) => {
      const [r] = await q(
        `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id, status, trigger_event_id, started_at, ended_at)
         values ($1, $2, $3, 1, $4, $5, $6, now() - interval '500 days', $7) returning id`,
        [ws, name, journey.id, bob.id, status, trigger, endedDaysAgo === null ? null : ago(endedDaysAgo)],
      );
      for (const step of ['s1', 's2', 's3'])
        await q(
          `insert into run_steps (workspace_id, run_id, step_id, node_id, primitive) values ($1, $2, $3, $3, 'act')`,
          [ws, r.id, step],
        );
      const history = ['sent', 'delivered', 'opened', 'opened', 'clicked', 'opened'].map((status, i) => ({
        status,
        at: ago(300 - i),
      }));
      await q(
        `insert into messages (workspace_id, run_id, step_id, customer_id, journey_id, channel, provider, idempotency_key, to_address, status, status_history)
         values ($1, $2, 's1', $3, $4, 'email', 'outbox', $5, 'bob@example.com', 'opened', $6)`,
        [ws, r.id, bob.id, journey.id, `${name}:s1`, JSON.stringify(history)],
      );
      return r.id as string;
    };
    const oldDone = await run('old-done', 'completed', 300, null);
    const recentDone = await run('recent-done', 'exited', 50, null);
    const active = await run('active', 'waiting', null, triggerOfActive);
    const ordersBefore = (await q('select count(*)::int as n from orders where workspace_id = $1', [ws]))[0]
      .n;

    const result = await pruneWorkspace(h.t.db, ws, { batchSize: 2 });
    expect(result).toEqual({ events: 3, runSteps: 3, messageHistories: 1, done: true });

    const kept = (await q('select id from events where workspace_id = $1', [ws])).map((r) => r.id).sort();
    expect(kept).toEqual([events[3]!.id, pendingOld, triggerOfActive].sort());
    const outbox = await q('select event_id from event_outbox where workspace_id = $1', [ws]);
    expect(outbox.map((r) => r.event_id).sort()).toEqual(kept);
    expect((await q('select count(*)::int as n from orders where workspace_id = $1', [ws]))[0].n).toBe(
      ordersBefore,
    );
    const steps = await q(
      'select run_id, count(*)::int as n from run_steps where workspace_id = $1 group by 1',
      [ws],
    );
    expect(Object.fromEntries(steps.map((r) => [r.run_id, r.n]))).toEqual({ [recentDone]: 3, [active]: 3 });
    const messages = await q('select run_id, status_history from messages where workspace_id = $1', [ws]);
    const statuses = (id: string) =>
      messages.find((m) => m.run_id === id)!.status_history.map((e: { status: string }) => e.status);
    expect(statuses(oldDone)).toEqual(['sent', 'delivered', 'opened', 'clicked']);
    expect(statuses(recentDone)).toHaveLength(6);
    expect(statuses(active)).toHaveLength(6);

    // The profile shows what is left; a second pass finds nothing more to do.
    const [ada] = await q(`select id from customers where workspace_id = $1 and external_id = 'ada'`, [ws]);
    const profile = (await call('GET', `/v1/customers/${ada.id}`)).json();
    expect(profile.events.map((e: { id: string }) => e.id)).toEqual([events[3]!.id]);
    expect(profile.orders).toHaveLength(4);
    expect(await pruneWorkspace(h.t.db, ws, { batchSize: 2 })).toEqual({
      events: 0,
      runSteps: 0,
      messageHistories: 0,
      done: true,
    });
  });
});
