import { createHash } from 'node:crypto';
import {
  createApiKey,
  customerEventsPage,
  customerMatchesRule,
  customerOrdersPage,
  customerRunsPage,
  type Db,
  getCustomer,
  getRunTimeline,
  journeyAnalytics,
  listCustomerDecisions,
  listDueCustomers,
  listMessageLog,
  previewRule,
  searchCustomers,
  segmentResolver,
} from '@hourglass/db';
import type { Rule } from '@hourglass/journey';
import { buildApp } from '@hourglass/server';
import type { Seeded } from './volume-seed';

// The measured operations, each through the product's own query functions (or its HTTP API for
// ingest), run the same way on the near-empty and the full database.

/** Latency samples (ms) per operation. */
export type Samples = Record<string, number[]>;

const DAY = 86_400_000;
/** Row ids the generator derives from its counters (md5 of prefix + n, as a uuid). */
export const idOf = (prefix: string, n: number) => {
  const h = createHash('md5').update(`${prefix}${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** Three conditions, one of them on event history: what a brand's segment looks like. */
export const SEGMENT_RULE: Rule = {
  all: [
    { field: 'customer.stats.ordersCount', op: 'gte', value: 2 },
    { field: 'customer.attributes.plan', op: 'in', value: ['gold', 'silver'] },
    { performed: { eventType: 'product.viewed', atLeast: 1, withinDays: 90 } },
  ],
};

async function time(samples: Samples, name: string, fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  samples[name] = [...(samples[name] ?? []), ms];
}

/** Runs every operation `iterations` times (the heavy ones fewer) against one seeded workspace. */
export async function measure(db: Db, seeded: Seeded, iterations: number): Promise<Samples> {
  const samples: Samples = {};
  const { workspaceId: ws, journeyId, counts } = seeded;
  const rand = (n: number) => 1 + Math.floor(Math.random() * n);
  // Customers drawn like the events are: the heavy ones come up as often as they are busy.
  const skewed = () => 1 + Math.floor(counts.customers * Math.random() ** 2);

  const key = `hg_volume_${Math.random().toString(36).slice(2, 12)}`;
  await createApiKey(db, ws, {
    name: 'volume',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['ingest'],
  });
  const app = await buildApp({
    db,
    pingDatabase: async () => {},
    pingTemporal: async () => {},
    rateLimit: { max: 1e9, timeWindowMs: 60_000 },
    bodyLimit: 4 * 1024 * 1024,
  });
  const prefix = `v${Math.random().toString(36).slice(2, 8)}`;
  let seq = 0;
  // A new shopper's first order: the same work on both databases (reusing the near-empty one's 20
  // customers would pile thousands of orders on each and measure that instead).
  const event = () => {
    const i = ++seq;
    const k = `${prefix}_${i}`;
    return {
      id: `${prefix}_${i}`,
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      customer: { externalId: `c${k}`, email: `shopper${k}@example.com` },
      order: {
        externalId: `${prefix}_o${i}`,
        total: 42.5,
        currency: 'USD',
        items: [{ sku: 'A', price: 42.5 }],
      },
      properties: { source: 'volume' },
    };
  };
  const post = async (url: string, payload: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${key}` },
      payload: payload as object,
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  };
  try {
    for (let i = 0; i < iterations * 2; i++)
      await time(samples, 'ingest.single', () => post('/v1/events', event()));
    for (let i = 0; i < Math.max(5, iterations / 5); i++)
      await time(samples, 'ingest.batch_100', () =>
        post('/v1/events/batch', { events: Array.from({ length: 100 }, event) }),
      );
  } finally {
    await app.close();
  }

  for (let i = 0; i < iterations; i++) {
    const k = rand(counts.customers);
    await time(samples, 'search.email_prefix', () => searchCustomers(db, ws, { query: `shopper${k}@exa` }));
    await time(samples, 'search.name', () => searchCustomers(db, ws, { query: `Family${k % 5000}` }));
    await time(samples, 'search.external_id', () => searchCustomers(db, ws, { query: `c${k}` }));
    const id = idOf('c', skewed());
    // What the profile page loads: the customer, the first page of each list, the decisions.
    await time(samples, 'customer.profile', async () => {
      const customer = await getCustomer(db, ws, id);
      if (!customer) throw new Error(`customer ${id} missing`);
      await Promise.all([
        customerOrdersPage(db, ws, id),
        customerEventsPage(db, ws, id),
        listCustomerDecisions(db, ws, id, { limit: 100 }),
        customerRunsPage(db, ws, id),
      ]);
    });
    const run = idOf('r', rand(counts.runs));
    await time(samples, 'run.timeline', async () => {
      if (!(await getRunTimeline(db, ws, run))) throw new Error(`run ${run} missing`);
    });
    await time(samples, 'messages.log', () =>
      listMessageLog(db, ws, {
        channel: 'email',
        status: ['delivered', 'opened', 'bounced'][i % 3],
        journeyId: i % 2 ? journeyId : undefined,
        from: i % 4 === 0 ? new Date(Date.now() - 90 * DAY) : undefined,
      }),
    );
  }

  const resolve = await segmentResolver(db, ws);
  for (let i = 0; i < iterations; i++)
    await time(samples, 'segment.membership', () =>
      customerMatchesRule(db, ws, idOf('c', skewed()), SEGMENT_RULE, resolve),
    );
  const heavy = Math.max(3, Math.round(iterations / 10));
  for (let i = 0; i < heavy; i++)
    await time(samples, 'segment.count_sample', () => previewRule(db, ws, SEGMENT_RULE, { resolve }));
  // One 15-minute slot of the date sweep: the birthdays due at 09:00, one page of them, at a random day.
  for (let i = 0; i < iterations; i++) {
    const now = new Date(Date.UTC(2026, 0, 1) + rand(365) * DAY + 9 * 3600_000 + rand(4) * 900_000);
    await time(samples, 'date_sweep.slot', () =>
      listDueCustomers(
        db,
        ws,
        { kind: 'date', source: 'birthday', offsetDays: 0, hour: 9, minute: 0 },
        { now, limit: 1000 },
      ),
    );
  }
  const all = { from: new Date(Date.now() - 4 * 365 * DAY), to: new Date(Date.now() + DAY) };
  const recent = { from: new Date(Date.now() - 30 * DAY), to: new Date() };
  for (let i = 0; i < heavy; i++) {
    for (const [name, range] of [
      ['analytics.all_time', all],
      ['analytics.last_30_days', recent],
    ] as const)
      await time(samples, name, () => journeyAnalytics(db, ws, journeyId, range));
  }
  return samples;
}
