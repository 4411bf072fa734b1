import { createHash } from 'node:crypto';
import { createApiKey, createDb } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { buildApp } from '@hourglass/server';
import Fastify from 'fastify';
import { type LoadResult, load } from './load';

// Ingest throughput: POST /v1/events (one event a request) and /v1/events/batch (100 a request)
// against a bare Fastify route that only inserts one row, on the same PostgreSQL, pool size and
// load generator. Each phase warms up, then measures a fixed window. The bare route runs before and
// after the ingest phases and the baseline is their mean, so drift on a busy machine cancels out.
// Prints JSON figures on stdout, progress on stderr.
// Run: DATABASE_URL=… tsx bench/src/ingest.bench.ts
//   BENCH_SECONDS (measured window, default 6), BENCH_WARMUP_SECONDS (default 2),
//   BENCH_CONCURRENCY (default 32), BENCH_BATCH_CONCURRENCY (default 8), BENCH_BATCH_SIZE (default 100)

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const batchConcurrency = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 8);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 100);
const progress = (msg: string) => process.stderr.write(`ingest bench: ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const t = await freshDatabase('bench_ingest');
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  const key = 'hg_bench_key_0123456789';
  await createApiKey(t.db, ws.id, {
    name: 'bench',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['ingest'],
  });
  // The API process uses a pool of 20 (main.ts); the bare route gets the same.
  const handle = createDb(t.url, { max: 20, applicationName: 'bench' });
  const app = await buildApp({
    db: handle.db,
    pingDatabase: async () => {},
    pingTemporal: async () => {},
    rateLimit: { max: 1e9, timeWindowMs: 60_000 },
    bodyLimit: 4 * 1024 * 1024,
  });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  await t.pool.query(
    'create table bench_rows (workspace_id uuid not null, id text not null, body jsonb not null, primary key (workspace_id, id))',
  );
  const bare = Fastify();
  bare.post('/insert', async (request) => {
    const body = request.body as { id: string };
    await handle.pool.query('insert into bench_rows (workspace_id, id, body) values ($1, $2, $3)', [
      ws.id,
      body.id,
      JSON.stringify(body),
    ]);
    return { ok: true };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  // A new order of one of 5000 customers: customer merge, order insert, stats, event and outbox.
  const event = (i: number, prefix: string) => ({
    id: `${prefix}_${i}`,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: { externalId: `c${i % 5000}`, email: `c${i % 5000}@example.com`, timezone: 'Europe/Paris' },
    order: {
      externalId: `${prefix}_o${i}`,
      total: 42.5,
      currency: 'USD',
      items: [{ sku: 'A', quantity: 1, price: 42.5 }],
    },
    properties: { source: 'bench' },
  });
  const auth = { authorization: `Bearer ${key}` };
  const phase = async (name: string, c: number, request: Parameters<typeof load>[0]['request']) => {
    progress(`${name}: ${warmupSeconds}s warm-up + ${seconds}s at concurrency ${c}`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await load({ concurrency: c, seconds, warmupSeconds, request });
    const cpu = process.cpuUsage(cpu0);
    const busy = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100);
    progress(
      `${name}: ${r.perSecond} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, errors ${r.errors}, node cpu ${busy}%`,
    );
    return r;
  };
  let run = 0;
  const bareRun = () =>
    phase(`bare insert #${++run}`, concurrency, (i) => ({
      url: `${bareUrl}/insert`,
      body: JSON.stringify(event(i, `bare${run}`)),
    }));

  const bare1 = await bareRun();
  const single = await phase('POST /v1/events', concurrency, (i) => ({
    url: `${apiUrl}/v1/events`,
    body: JSON.stringify(event(i, 'single')),
    headers: auth,
  }));
  const batch = await phase(`POST /v1/events/batch (${batchSize} a request)`, batchConcurrency, (i) => ({
    url: `${apiUrl}/v1/events/batch`,
    body: JSON.stringify({
      events: Array.from({ length: batchSize }, (_, j) => event(i * batchSize + j, 'batch')),
    }),
    headers: auth,
  }));
  const bare2 = await bareRun();
  await app.close();
  await bare.close();
  await handle.close();

  const baseline = (bare1.perSecond + bare2.perSecond) / 2;
  const bareP99 = (bare1.latencyMs.p99 + bare2.latencyMs.p99) / 2;
  const batchEvents = batch.perSecond * batchSize;
  const summary = (r: LoadResult) => ({ perSecond: r.perSecond, latencyMs: r.latencyMs, errors: r.errors });
  const errors = single.errors + batch.errors + bare1.errors + bare2.errors;
  if (errors > 0) progress(`WARNING: ${errors} failed requests`);
  console.log(
    JSON.stringify(
      {
        benchmark: 'ingest',
        seconds,
        warmupSeconds,
        concurrency,
        batchConcurrency,
        batchSize,
        figures: [
          {
            name: 'ingest.throughput',
            value: round(single.perSecond, 1),
            unit: 'events/s',
            baseline: round(baseline, 1),
            ratio: round(single.perSecond / baseline),
            target: 0.7,
          },
          {
            name: 'ingest.batch_throughput',
            value: round(batchEvents, 1),
            unit: 'events/s',
            baseline: round(baseline, 1),
            ratio: round(batchEvents / baseline),
            target: 0.7,
          },
          {
            name: 'ingest.latency.p99',
            value: single.latencyMs.p99,
            unit: 'ms',
            baseline: round(bareP99),
            ratio: round(single.latencyMs.p99 / bareP99),
          },
          { name: 'ingest.latency.p50', value: single.latencyMs.p50, unit: 'ms' },
          { name: 'ingest.batch_latency.p99', value: batch.latencyMs.p99, unit: 'ms' },
        ],
        phases: {
          bareInsert: [summary(bare1), summary(bare2)],
          single: summary(single),
          batch: { ...summary(batch), eventsPerSecond: batchEvents },
        },
      },
      null,
      2,
    ),
  );
} finally {
  await t.drop();
}
