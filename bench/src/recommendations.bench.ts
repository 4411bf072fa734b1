import { ingestEvent, rebuildProducts, recommendProducts } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { percentiles } from './load';

// Product recommendations for one customer (the query a journey's recommendation step runs) in a
// workspace of 100,000 customers and 1,000,000 order items, plus what an order costs ingest now that
// it keeps the recommendation tables in step. The history is generated set-based in SQL (orders with
// their items as jsonb, the way events store them), then the tables are derived by rebuildProducts.
// Most customers have 1–3 orders; skus are drawn with a popularity skew (a few are in many baskets,
// most in few) and half of a customer's lines come from a small range of skus of their own taste, so
// co-purchases are not uniform. Prints JSON. Run: DATABASE_URL=… tsx bench/src/recommendations.bench.ts
//   BENCH_CUSTOMERS (100000), BENCH_ORDER_ITEMS (1000000), BENCH_SKUS (2000), BENCH_ITERATIONS (500)

const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const orderItems = Number(process.env.BENCH_ORDER_ITEMS ?? 1_000_000);
const skus = Number(process.env.BENCH_SKUS ?? 2_000);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 500);
const target = 20;
const progress = (msg: string) => process.stderr.write(`recommendations bench: ${msg}\n`);
const round = (n: number) => Math.round(n * 100) / 100;
const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

const t = await freshDatabase('bench_recommendations');
try {
  const ws = (await seedWorkspace(t.db, 'Bench')).id;
  const client = await t.pool.connect();
  const generated = performance.now();
  try {
    // A fixed seed, and no parallel workers (they would not share it): every run generates the same history.
    await client.query('set max_parallel_workers_per_gather = 0');
    await client.query('select setseed(0.19)');
    await client.query(
      `insert into customers (workspace_id, external_id, email)
       select $1, 'c' || g, 'c' || g || '@example.com' from generate_series(1, $2::int) g`,
      [ws, customers],
    );
    // 55% one order, 25% two, 15% three, 5% four to nine.
    await client.query(
      `insert into orders (workspace_id, customer_id, external_id, placed_at)
       select $1, c.id, c.external_id || '-' || k, now() - random() * interval '730 days'
       from (select id, external_id, random() as r from customers where workspace_id = $1) c,
         generate_series(1, case when c.r < 0.55 then 1 when c.r < 0.8 then 2 when c.r < 0.95 then 3
           else 4 + (c.r * 1000)::int % 6 end) k`,
      [ws],
    );
    // 1–11 lines an order until the item count is reached (orders past it are dropped).
    await client.query(
      `create temp table lines as
       select o.id as order_id, l as line,
         case when random() < 0.5
           then (hashtext(o.taste) & 1023) % ($2::int / 20) * 20 + floor(random() ^ 2 * 20)::int
           else floor(random() ^ 2.5 * $2::int)::int
         end as p
       from (select o.id, c.external_id as taste, 1 + (hashtext(o.external_id) & 1023) % 11 as n
             from orders o join customers c on c.id = o.customer_id
             where o.workspace_id = $1 order by o.placed_at, o.external_id) o,
         generate_series(1, o.n) l
       limit $3`,
      [ws, skus, orderItems],
    );
    await client.query(
      `update orders o set items = g.items, total = g.total
       from (select order_id, sum(5 + p % 200 + 0.99) as total,
               jsonb_agg(jsonb_build_object('sku', 'SKU-' || lpad(p::text, 5, '0'), 'name', 'Product ' || p,
                 'quantity', 1, 'price', 5 + p % 200 + 0.99, 'url', 'https://shop.example/p/' || p,
                 'imageUrl', 'https://cdn.example/p/' || p || '.jpg') order by line) as items
             from lines group by order_id) g
       where o.id = g.order_id`,
    );
    await client.query(`delete from orders where workspace_id = $1 and items = '[]'::jsonb`, [ws]);
    await client.query('drop table lines; reset max_parallel_workers_per_gather');
  } finally {
    client.release();
  }
  const generateSeconds = seconds(generated);
  progress(`history generated in ${generateSeconds}s`);
  const rebuilt = performance.now();
  await rebuildProducts(t.db, ws);
  const rebuildSeconds = seconds(rebuilt);
  await t.pool.query('vacuum analyze orders, order_items, product_stats, product_pairs');
  const count = async (q: string) => Number((await t.pool.query(q, [ws])).rows[0].n);
  const sizes = {
    customers,
    orders: await count('select count(*) n from orders where workspace_id = $1'),
    orderItems: await count('select count(*) n from order_items where workspace_id = $1'),
    orderLines: await count('select sum(jsonb_array_length(items)) n from orders where workspace_id = $1'),
    skus: await count('select count(*) n from product_stats where workspace_id = $1'),
    productPairs: await count('select count(*) n from product_pairs where workspace_id = $1'),
    topSkuBuyers: await count('select max(buyers) n from product_stats where workspace_id = $1'),
  };
  progress(`tables rebuilt in ${rebuildSeconds}s: ${JSON.stringify(sizes)}`);

  // An existing customer's new order of five lines: the ingest transaction with the upkeep of the
  // recommendation tables (sequential, on the pool, as the API ingests single events). It runs before
  // the queries, so that they also read counters that changed since the vacuum.
  const ingestSamples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const lines = Array.from({ length: 5 }, (_, j) => {
      const p = (i * 37 + j * 101) % skus;
      return { sku: `SKU-${String(p).padStart(5, '0')}`, name: `Product ${p}`, quantity: 1, price: 10 };
    });
    const t0 = performance.now();
    await ingestEvent(t.db, ws, {
      event: { id: `bench-${i}`, type: 'order.placed' },
      customer: { externalId: `c${1 + ((i * 7919) % customers)}` },
      order: { externalId: `bench-order-${i}`, total: 50, items: lines },
    });
    ingestSamples.push(performance.now() - t0);
  }
  const ingest = percentiles(ingestSamples.slice(20));
  progress(`ingest of an order p50 ${ingest.p50} ms, p95 ${ingest.p95} ms`);

  // Random customers, each with one of their orders: half the calls name the order, half let the
  // query take the customer's most recent one.
  const { rows: picks } = await t.pool.query<{ customer_id: string; id: string }>(
    `select customer_id, id from orders where workspace_id = $1 order by random() limit $2`,
    [ws, iterations + 50],
  );
  const call = (i: number) => {
    const pick = picks[i % picks.length]!;
    return recommendProducts(t.db, ws, {
      customerId: pick.customer_id,
      orderId: i % 2 === 0 ? pick.id : null,
      limit: 4,
    });
  };
  for (let i = 0; i < 50; i++) await call(iterations + i); // warm up
  const samples: number[] = [];
  let returned = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    returned += (await call(i)).length;
    samples.push(performance.now() - t0);
  }
  const latency = percentiles(samples);
  progress(`query p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms`);

  const label =
    orderItems >= 1000 ? `items_${Math.round(orderItems / 100_000) / 10}m` : `items_${orderItems}`;
  console.log(
    JSON.stringify(
      {
        benchmark: 'recommendations',
        ...sizes,
        iterations,
        meanReturned: round(returned / iterations),
        setupSeconds: { generate: generateSeconds, rebuild: rebuildSeconds },
        queryMs: latency,
        target: `p95 < ${target} ms`,
        passed: latency.p95 < target,
        figures: [
          { name: `recommendations.query_p95_ms.${label}`, value: latency.p95, unit: 'ms', target },
          { name: `recommendations.query_p50_ms.${label}`, value: latency.p50, unit: 'ms' },
          { name: `recommendations.query_max_ms.${label}`, value: latency.max, unit: 'ms' },
          { name: `recommendations.ingest_order_p50_ms.${label}`, value: ingest.p50, unit: 'ms' },
          { name: `recommendations.ingest_order_p95_ms.${label}`, value: ingest.p95, unit: 'ms' },
        ],
      },
      null,
      2,
    ),
  );
} finally {
  await t.drop();
}
