import { createHash, createHmac } from 'node:crypto';
import { createApiKey, createDb } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { buildApp, startShopifyInbox } from '@hourglass/server';
import Fastify from 'fastify';
import { startFakeShopifyAdmin } from '../../test/fakes/shopify/admin-api';
import { type LoadResult, load } from './load';

// Shopify connector throughput. Webhooks accepted: POST /webhooks/shopify/<workspace> (HMAC verified on
// the raw body, body checked against its topic, delivery stored once) against a bare Fastify route
// that only inserts one row, same PostgreSQL, pool and load generator; the bare route runs before and
// after and the baseline is their mean. Webhooks applied: the inbox then maps and ingests the backlog. Backfill: orders imported per second from a local
// fake of the Admin GraphQL API (pagination and cost pacing included, bucket never the bottleneck).
// Prints JSON figures on stdout, progress on stderr.
// Run: DATABASE_URL=… tsx bench/src/shopify.bench.ts
//   BENCH_SECONDS (default 6), BENCH_WARMUP_SECONDS (2), BENCH_CONCURRENCY (32), BENCH_BACKFILL_ORDERS (5000)

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const backfillOrders = Number(process.env.BENCH_BACKFILL_ORDERS ?? 5000);
const progress = (msg: string) => process.stderr.write(`shopify bench: ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const SHOP = 'bench-shop.myshopify.com';
const SECRET = 'shpss_bench_client_secret';
const TOKEN = 'shpat_bench_token';

const fake = await startFakeShopifyAdmin({ shopName: 'Bench Shop', tokens: [TOKEN] });
fake.bucket.maximumAvailable = 1e9;
fake.bucket.currentlyAvailable = 1e9;
fake.bucket.restoreRate = 1e9;
const t = await freshDatabase('bench_shopify');
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  const key = 'hg_bench_admin_key_0123456789';
  await createApiKey(t.db, ws.id, {
    name: 'bench',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['ingest', 'read', 'admin'],
  });
  const handle = createDb(t.url, { max: 20, applicationName: 'bench' });
  const app = await buildApp({
    db: handle.db,
    pingDatabase: async () => {},
    pingTemporal: async () => {},
    rateLimit: { max: 1e9, timeWindowMs: 60_000 },
    // Accepting is measured alone (as the events bench runs without its dispatcher); applying after.
    shopify: {
      apiVersion: '2025-10',
      apiBase: fake.url,
      timeoutMs: 30_000,
      reconcileMinutes: 0,
      inboxConcurrency: 0,
    },
    channels: {
      resend: null,
      twilio: null,
      emailFrom: 'Bench <bench@example.com>',
      secretKey: 'bench-secret-key',
      publicUrl: 'http://bench.test',
      resendWebhookSecret: null,
      timeoutMs: 10_000,
      outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] },
    },
  });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const connected = await fetch(`${apiUrl}/v1/workspace/shopify`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ shopDomain: SHOP, clientSecret: SECRET, accessToken: TOKEN }),
  });
  if (connected.status !== 200) throw new Error(`connect: ${connected.status} ${await connected.text()}`);

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

  // An orders/create body as Shopify sends it (trimmed): one of 5000 customers, two lines.
  const order = (i: number, prefix: string) => ({
    id: `${prefix}${i}`,
    name: `#${i}`,
    email: `c${i % 5000}@example.com`,
    created_at: new Date().toISOString(),
    currency: 'USD',
    total_price: '42.50',
    order_status_url: `https://${SHOP}/1/orders/${i}/authenticate?key=k`,
    customer: { id: 9_000_000 + (i % 5000), email: `c${i % 5000}@example.com`, first_name: 'Bench' },
    line_items: [
      { title: 'Tea', sku: 'TEA', quantity: 1, price: '20.00', product_id: 1, variant_id: 2 },
      { title: 'Cup', sku: 'CUP', quantity: 1, price: '22.50', product_id: 3, variant_id: 4 },
    ],
  });
  const phase = async (name: string, request: Parameters<typeof load>[0]['request']) => {
    progress(`${name}: ${warmupSeconds}s warm-up + ${seconds}s at concurrency ${concurrency}`);
    const r = await load({ concurrency, seconds, warmupSeconds, request });
    progress(
      `${name}: ${r.perSecond} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, errors ${r.errors}`,
    );
    return r;
  };
  let run = 0;
  const bareRun = () =>
    phase(`bare insert #${++run}`, (i) => ({
      url: `${bareUrl}/insert`,
      body: JSON.stringify(order(i, `bare${run}_`)),
    }));
  const bare1 = await bareRun();
  const hooks = await phase('POST /webhooks/shopify (orders/create)', (i) => {
    const body = JSON.stringify(order(i, '1'));
    return {
      url: `${apiUrl}/webhooks/shopify/${ws.id}`,
      body,
      headers: {
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': `bench-${i}`,
        'x-shopify-triggered-at': new Date().toISOString(),
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      },
    };
  });
  const bare2 = await bareRun();

  // Applying what was accepted: the inbox (2 at a time, as the API runs it) drains the backlog.
  const pending = async () =>
    Number(
      (await t.pool.query("select count(*)::int as n from store_webhooks where outcome = 'pending'")).rows[0]
        .n,
    );
  const backlog = await pending();
  progress(`applying ${backlog} accepted webhooks`);
  const a0 = performance.now();
  const inbox = startShopifyInbox({ db: handle.db, concurrency: 2, pollMs: 100 });
  while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 200));
  await inbox.stop();
  const appliedPerSecond = backlog / ((performance.now() - a0) / 1000);
  progress(`applied: ${round(appliedPerSecond, 1)} webhooks/s`);

  // Backfill: the fake store holds `backfillOrders` orders of the last week.
  const now = Date.now();
  for (let i = 0; i < backfillOrders; i++)
    fake.orders.push({
      id: `gid://shopify/Order/${5_000_000 + i}`,
      name: `#B${i}`,
      createdAt: new Date(now - 7 * 86_400_000 + i * 1000).toISOString(),
      updatedAt: new Date(now - 7 * 86_400_000 + i * 1000).toISOString(),
      email: `b${i % 2000}@example.com`,
      totalPriceSet: { shopMoney: { amount: '30.00', currencyCode: 'USD' } },
      customer: { id: `gid://shopify/Customer/${8_000_000 + (i % 2000)}` },
      lineItems: {
        nodes: [
          { title: 'Tea', sku: 'TEA', quantity: 1, originalUnitPriceSet: { shopMoney: { amount: '30.00' } } },
        ],
      },
    });
  progress(`backfill of ${backfillOrders} orders`);
  const t0 = performance.now();
  const started = await fetch(`${apiUrl}/v1/workspace/shopify/backfill`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ days: 8 }),
  });
  if (started.status !== 202) throw new Error(`backfill: ${started.status} ${await started.text()}`);
  let sync: { status: string; ordersImported: number; error: string | null };
  for (;;) {
    const res = await fetch(`${apiUrl}/v1/workspace/shopify/backfill`, { headers: auth });
    sync = ((await res.json()) as { sync: typeof sync }).sync;
    if (sync.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const backfillSeconds = (performance.now() - t0) / 1000;
  if (sync.status !== 'done' || sync.ordersImported !== backfillOrders)
    throw new Error(`backfill ended ${sync.status} with ${sync.ordersImported} orders (${sync.error})`);
  const backfillPerSecond = backfillOrders / backfillSeconds;
  progress(`backfill: ${round(backfillPerSecond, 1)} orders/s`);

  await app.close();
  await bare.close();
  await handle.close();
  const baseline = (bare1.perSecond + bare2.perSecond) / 2;
  const summary = (r: LoadResult) => ({ perSecond: r.perSecond, latencyMs: r.latencyMs, errors: r.errors });
  const errors = hooks.errors + bare1.errors + bare2.errors;
  if (errors > 0) progress(`WARNING: ${errors} failed requests`);
  console.log(
    JSON.stringify(
      {
        benchmark: 'shopify',
        seconds,
        warmupSeconds,
        concurrency,
        figures: [
          {
            name: 'shopify.webhooks_throughput',
            value: round(hooks.perSecond, 1),
            unit: 'webhooks/s',
            baseline: round(baseline, 1),
            ratio: round(hooks.perSecond / baseline),
            target: 0.7,
          },
          { name: 'shopify.webhooks_latency.p99', value: hooks.latencyMs.p99, unit: 'ms' },
          { name: 'shopify.webhooks_applied', value: round(appliedPerSecond, 1), unit: 'webhooks/s' },
          { name: 'shopify.backfill_throughput', value: round(backfillPerSecond, 1), unit: 'orders/s' },
        ],
        phases: { bareInsert: [summary(bare1), summary(bare2)], webhooks: summary(hooks), backfillSeconds },
      },
      null,
      2,
    ),
  );
} finally {
  await t.drop();
  await fake.close();
}
