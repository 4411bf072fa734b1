import { createJourney, publishVersion } from '@hourglass/db';
import { testGraph, testPlan } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, seedTenant, withKey } from './harness';

// A heavy customer's profile answers the first page of each list (orders, events, runs) and a cursor
// for the next; walking the cursors gives every row once, newest first, even where rows share a time
// down to the microsecond. Cursors are opaque but checked: an altered one is a 400, and one from another
// workspace's customer reads nothing of that workspace.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const ids = { heavy: '', other: '' };
const ORDERS = 130;
const EVENTS = 260;
const RUNS = 120;

const get = (key: string, url: string) => h.app.inject(withKey(key, { method: 'GET', url }));
const q = async (text: string, params: unknown[] = []) => (await h.t.pool.query(text, params)).rows;

// Rows come in threes sharing one timestamp, and neighbouring threes are a microsecond apart: a cursor
// that kept only milliseconds (a JS Date) would skip or repeat rows at page boundaries.
async function seedHeavy(workspaceId: string, externalId: string, prefix: string): Promise<string> {
  const [customer] = await q(
    `insert into customers (workspace_id, external_id, email) values ($1, $2, $2 || '@example.com') returning id`,
    [workspaceId, externalId],
  );
  const at = `timestamptz '2025-03-01 12:00:00.5+00' - (g / 3) * interval '1 microsecond'`;
  await q(
    `insert into orders (workspace_id, customer_id, external_id, total, currency, items, status, placed_at)
     select $1, $2, $3 || '-o' || g, 10 + g, 'USD', '[]', 'placed', ${at} from generate_series(1, $4::int) g`,
    [workspaceId, customer.id, prefix, ORDERS],
  );
  await q(
    `insert into events (workspace_id, id, type, customer_id, occurred_at)
     select $1, $3 || '-e' || g, 'page.viewed', $2, ${at} from generate_series(1, $4::int) g`,
    [workspaceId, customer.id, prefix, EVENTS],
  );
  const journey = await createJourney(h.t.db, workspaceId, {
    name: `Journey ${prefix}`,
    draftGraph: testGraph(),
  });
  await publishVersion(h.t.db, workspaceId, journey.id, {
    graph: testGraph(),
    plan: testPlan(),
    planHash: '0'.repeat(64),
  });
  await q(
    `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id, status, started_at, updated_at, ended_at, end_reason)
     select $1, $3 || '-run-' || g, $4, 1, $2, 'completed', ${at}, ${at}, ${at}, 'completed'
     from generate_series(1, $5::int) g`,
    [workspaceId, customer.id, prefix, journey.id, RUNS],
  );
  return customer.id;
}

beforeAll(async () => {
  h = await harness('api_customer_paging');
  a = await seedTenant(h.t.db, 'Paging shop');
  b = await seedTenant(h.t.db, 'Other shop');
  ids.heavy = await seedHeavy(a.workspace.id, 'heavy', 'a');
  ids.other = await seedHeavy(b.workspace.id, 'heavy', 'b');
}, 120_000);
afterAll(async () => h?.close());

type Row = { id: string };
type List = 'orders' | 'events' | 'runs';
const TIME: Record<List, string> = { orders: 'placedAt', events: 'occurredAt', runs: 'startedAt' };

/** Every page of a list, following nextCursor from the first page. */
async function walk(key: string, customer: string, list: List, limit: number, first?: string | null) {
  const pages: Row[][] = [];
  let cursor: string | null | undefined = first;
  do {
    const qs = new URLSearchParams({ limit: String(limit), ...(cursor ? { before: cursor } : {}) });
    const res = await get(key, `/v1/customers/${customer}/${list}?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Record<List, Row[]> & { nextCursor: string | null };
    pages.push(body[list]);
    cursor = body.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

/** The list as the database orders it: newest first, ties by id descending. */
async function expected(list: List, customer: string): Promise<string[]> {
  const [table, time] = {
    orders: ['orders', 'placed_at'],
    events: ['events', 'occurred_at'],
    runs: ['journey_runs', 'started_at'],
  }[list];
  const rows = await q(`select id from ${table} where customer_id = $1 order by ${time} desc, id desc`, [
    customer,
  ]);
  return rows.map((r) => String(r.id));
}

describe("a heavy customer's profile", () => {
  it('answers the first 50 orders and events with a cursor for the older ones', async () => {
    const res = await get(a.keys.read, `/v1/customers/${ids.heavy}`);
    expect(res.statusCode).toBe(200);
    const profile = res.json();
    expect(profile.orders).toHaveLength(50);
    expect(profile.events).toHaveLength(50);
    expect(profile.orders.map((o: Row) => o.id)).toEqual((await expected('orders', ids.heavy)).slice(0, 50));
    expect(typeof profile.ordersNextCursor).toBe('string');
    expect(typeof profile.eventsNextCursor).toBe('string');
    // The profile's cursor continues exactly where its first page stopped.
    const rest = await walk(a.keys.read, ids.heavy, 'orders', 50, profile.ordersNextCursor);
    expect([...profile.orders, ...rest.flat()].map((o: Row) => o.id)).toEqual(
      await expected('orders', ids.heavy),
    );
    const events = await walk(a.keys.read, ids.heavy, 'events', 200, profile.eventsNextCursor);
    expect([...profile.events, ...events.flat()].map((e: Row) => e.id)).toEqual(
      await expected('events', ids.heavy),
    );
  });

  it('pages orders, events and runs newest first, each row once, with no gaps', async () => {
    for (const [list, limit, total] of [
      ['orders', 7, ORDERS],
      ['events', 25, EVENTS],
      ['runs', 11, RUNS],
    ] as const) {
      const pages = await walk(a.keys.read, ids.heavy, list, limit);
      expect(pages).toHaveLength(Math.ceil(total / limit));
      expect(
        pages.slice(0, -1).every((p) => p.length === limit),
        list,
      ).toBe(true);
      const seen = pages.flat();
      expect(
        seen.map((r) => r.id),
        list,
      ).toEqual(await expected(list, ids.heavy));
      const times = seen.map((r) => Date.parse((r as Record<string, unknown>)[TIME[list]] as string));
      expect(times, list).toEqual([...times].sort((x, y) => y - x));
    }
  });

  it('keeps its place while newer rows arrive', async () => {
    const first = await get(a.keys.read, `/v1/customers/${ids.heavy}/orders?limit=20`);
    await q(
      `insert into orders (workspace_id, customer_id, external_id, total, currency, items, status, placed_at)
       values ($1, $2, 'a-new', 1, 'USD', '[]', 'placed', now())`,
      [a.workspace.id, ids.heavy],
    );
    const rest = await walk(a.keys.read, ids.heavy, 'orders', 50, first.json().nextCursor);
    const all = [...first.json().orders, ...rest.flat()].map((o: Row) => o.id);
    expect(all).toHaveLength(ORDERS);
    expect(new Set(all).size).toBe(ORDERS);
    await q(`delete from orders where external_id = 'a-new'`);
  });
});

describe('cursors', () => {
  it('refuse anything that is not a cursor of this list with a 400 naming querystring.before', async () => {
    const encode = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    const ordersCursor = (await get(a.keys.read, `/v1/customers/${ids.heavy}/orders?limit=5`)).json()
      .nextCursor;
    const runsCursor = (await get(a.keys.read, `/v1/customers/${ids.heavy}/runs?limit=5`)).json().nextCursor;
    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const [list, before] of [
      ['orders', 'AAAA'],
      ['orders', encode({ at: '2025-01-01', id: uuid })],
      ['orders', encode(['orders', '2025-02-30T10:00:00.000000Z', uuid])],
      ['orders', encode(['orders', '0000-01-01T00:00:00.000000Z', uuid])],
      ['orders', encode(['orders', '2025-01-01T10:00:00.000000Z', "x' or 1=1 --"])],
      ['orders', encode(['orders', "2025-01-01'; drop table orders; --", uuid])],
      ['runs', encode(['runs', '2025-01-01T10:00:00Z', uuid])],
      ['events', ordersCursor],
      ['orders', runsCursor],
      ['runs', `${runsCursor.slice(0, -4)}AAAA`],
    ] as const) {
      const res = await get(a.keys.read, `/v1/customers/${ids.heavy}/${list}?before=${before}`);
      expect(res.statusCode, `${list} ${before}`).toBe(400);
      expect(res.json(), `${list} ${before}`).toMatchObject({
        code: 'invalid_cursor',
        field: 'querystring.before',
      });
    }
    for (const before of ['%25%25', 'a'.repeat(1001), '']) {
      const res = await get(a.keys.read, `/v1/customers/${ids.heavy}/events?before=${before}`);
      expect(res.statusCode, before).toBe(400);
      expect(res.json()).toMatchObject({ field: 'querystring.before' });
    }
  });

  it("from another workspace's customer read nothing of that workspace", async () => {
    const mine = new Set(await expected('orders', ids.heavy));
    const theirs = (await get(b.keys.read, `/v1/customers/${ids.other}/orders?limit=3`)).json().nextCursor;
    const pages = await walk(a.keys.read, ids.heavy, 'orders', 50, theirs);
    expect(pages.flat().length).toBeGreaterThan(0);
    expect(pages.flat().every((o) => mine.has(o.id))).toBe(true);
    // And the other workspace's customer stays hidden behind a 404, cursor or not.
    const res = await get(a.keys.read, `/v1/customers/${ids.other}/orders?before=${theirs}`);
    expect(res.statusCode).toBe(404);
  });
});
