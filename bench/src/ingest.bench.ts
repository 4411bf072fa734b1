import { createHash } from 'node:crypto';
import { createApiKey, createDb } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { buildApp } from '@hourglass/server';
import Fastify from 'fastify';
import { load } from './load';

// Ingest throughput: POST /v1/events (one event a request) and /v1/events/batch (100 a request) against
// a bare Fastify route that only inserts one row, on the same PostgreSQL. Prints JSON.
// Run: DATABASE_URL=… tsx bench/src/ingest.bench.ts  (BENCH_SECONDS, BENCH_CONCURRENCY to tune)

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
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

  const bareResult = await load({
    concurrency,
    seconds,
    request: (i) => ({ url: `${bareUrl}/insert`, body: JSON.stringify(event(i, 'bare')) }),
  });
  const single = await load({
    concurrency,
    seconds,
    request: (i) => ({ url: `${apiUrl}/v1/events`, body: JSON.stringify(event(i, 'single')), headers: auth }),
  });
  const batchSize = 100;
  const batch = await load({
    concurrency: Math.max(1, Math.floor(concurrency / 4)),
    seconds,
    request: (i) => ({
      url: `${apiUrl}/v1/events/batch`,
      body: JSON.stringify({
        events: Array.from({ length: batchSize }, (_, j) => event(i * batchSize + j, 'batch')),
      }),
      headers: auth,
    }),
  });
  await app.close();
  await bare.close();
  await handle.close();
  console.log(
    JSON.stringify(
      {
        benchmark: 'ingest',
        seconds,
        concurrency,
        bareInsert: {
          eventsPerSecond: bareResult.perSecond,
          latencyMs: bareResult.latencyMs,
          errors: bareResult.errors,
        },
        single: { eventsPerSecond: single.perSecond, latencyMs: single.latencyMs, errors: single.errors },
        batch: {
          batchSize,
          eventsPerSecond: batch.perSecond * batchSize,
          requestLatencyMs: batch.latencyMs,
          errors: batch.errors,
        },
        ratioSingleToBare: Math.round((single.perSecond / bareResult.perSecond) * 100) / 100,
        ratioBatchToBare: Math.round(((batch.perSecond * batchSize) / bareResult.perSecond) * 100) / 100,
        target: { ratio: 0.7 },
      },
      null,
      2,
    ),
  );
} finally {
  await t.drop();
}
