import { createJourney, pruneAllWorkspaces, pruneWorkspace } from '@hourglass/db';
import { testGraph } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer } from '../channels/helpers';
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
    expect(result).toEqual({
      events: 3,
      inboundMessages: 0,
      clicks: 0,
      runSteps: 3,
      messageHistories: 1,
      done: true,
    });

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
      inboundMessages: 0,
      clicks: 0,
      runSteps: 0,
      messageHistories: 0,
      done: true,
    });
  });

  it('removes texts received and link clicks on the events clock, in batches, and unowned texts at the default', async () => {
    const b = await seedTenant(h.t.db, 'Replies retention shop');
    const ws = b.workspace.id;
    const patch = await h.app.inject(
      withKey(b.keys.all, {
        method: 'PATCH',
        url: '/v1/workspace/settings',
        payload: { retention: { eventsDays: 100, runHistoryDays: 3650 } },
      }),
    );
    expect(patch.statusCode).toBe(200);
    const c = await addCustomer(h.t.db, ws, { phone: '+15553330001', email: 'texter@example.com' });
    let sid = 0;
    const inbound = async (workspaceId: string | null, daysAgo: number) => {
      sid += 1;
      const [row] = await q(
        `insert into inbound_messages (workspace_id, customer_id, provider_message_id, from_address, body, received_at)
         values ($1, $2, $3, '+15553330001', 'hi', $4) returning id`,
        [workspaceId, workspaceId === ws ? c.id : null, `SM${String(sid).padStart(32, '0')}`, ago(daysAgo)],
      );
      return row.id as string;
    };
    const message = async (key: string) => {
      const [row] = await q(
        `insert into messages (workspace_id, customer_id, channel, provider, idempotency_key, to_address, status)
         values ($1, $2, 'sms', 'outbox', $3, '+15553330001', 'clicked') returning id`,
        [ws, c.id, key],
      );
      return row.id as string;
    };
    const click = async (messageId: string, daysAgo: number) => {
      const [row] = await q(
        `insert into message_clicks (workspace_id, message_id, link_index, url, clicked_at)
         values ($1, $2, 0, 'https://shop.example/review', $3) returning id`,
        [ws, messageId, ago(daysAgo)],
      );
      return row.id as string;
    };
    for (const d of [300, 150, 101]) await inbound(ws, d);
    const recentText = await inbound(ws, 20);
    // Another workspace's old text waits for that workspace's own pass.
    const othersText = await inbound(a.workspace.id, 300);
    const [m1, m2] = [await message('retention:m1'), await message('retention:m2')];
    for (const d of [300, 200, 150]) await click(m1, d);
    const recentClick = await click(m1, 20);
    for (const d of [400, 120]) await click(m2, d);

    const result = await pruneWorkspace(h.t.db, ws, { batchSize: 2 });
    expect(result).toMatchObject({ inboundMessages: 3, clicks: 5, done: true });
    expect(
      (await q('select id from inbound_messages where workspace_id = $1', [ws])).map((r) => r.id),
    ).toEqual([recentText]);
    expect((await q('select id from message_clicks where workspace_id = $1', [ws])).map((r) => r.id)).toEqual(
      [recentClick],
    );
    // The messages stay, clicked.
    expect(
      (await q('select status from messages where id = any($1::uuid[])', [[m1, m2]])).map((r) => r.status),
    ).toEqual(['clicked', 'clicked']);
    expect(await q('select id from inbound_messages where id = $1', [othersText])).toHaveLength(1);

    // The periodic pass: every workspace, then texts that reached no workspace, kept 400 days by default.
    const unownedOld = await inbound(null, 500);
    const unownedRecent = await inbound(null, 300);
    const all = await pruneAllWorkspaces(h.t.db, { batchSize: 2 });
    expect(all).toMatchObject({ inboundMessages: 2, clicks: 0, done: true });
    expect(
      await q('select id from inbound_messages where id = any($1::uuid[])', [[othersText, unownedOld]]),
    ).toEqual([]);
    expect(await q('select id from inbound_messages where id = $1', [unownedRecent])).toHaveLength(1);
  });
});
