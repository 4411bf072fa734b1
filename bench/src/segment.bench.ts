import { customerMatchesRule, segmentResolver } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { percentiles } from './load';

// Segment evaluation for one customer among 100,000 (the query branches and entry rules run), plus
// a count over all of them (previews). Prints JSON. Run: DATABASE_URL=… tsx bench/src/segment.bench.ts

const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
const t = await freshDatabase('bench_segment');
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  await t.pool.query(
    `insert into customers (workspace_id, external_id, email, first_name, timezone, orders_count, total_spent, aov, attributes, tags, last_order_at)
     select $1, 'c' || g, 'c' || g || '@example.com', 'Name' || (g % 100), 'Europe/Paris', g % 7, (g % 7) * 120.5, 120.5 + (g % 400),
            jsonb_build_object('plan', (array['gold','silver','bronze'])[1 + g % 3], 'score', g % 100), array['t' || (g % 10)], now() - (g % 365) * interval '1 day'
     from generate_series(1, $2::int) g`,
    [ws.id, customers],
  );
  await t.pool.query('analyze customers');
  const ids = (
    await t.pool.query<{ id: string }>('select id from customers where workspace_id = $1', [ws.id])
  ).rows.map((r) => r.id);
  const rule = {
    all: [
      { field: 'customer.stats.aov', op: 'gt' as const, value: 300 },
      {
        any: [
          { field: 'customer.attributes.plan', op: 'in' as const, value: ['gold', 'silver'] },
          { field: 'customer.tags', op: 'contains' as const, value: 't3' },
        ],
      },
      { not: { field: 'customer.email', op: 'contains' as const, value: 'test' } },
      { field: 'customer.stats.lastOrderAt', op: 'gt' as const, value: '2020-01-01' },
    ],
  };
  const resolve = await segmentResolver(t.db, ws.id);
  for (let i = 0; i < 100; i++) await customerMatchesRule(t.db, ws.id, ids[i]!, rule, resolve); // warm up
  const samples: number[] = [];
  let members = 0;
  for (let i = 0; i < iterations; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const t0 = performance.now();
    if (await customerMatchesRule(t.db, ws.id, id, rule, resolve)) members++;
    samples.push(performance.now() - t0);
  }
  const c0 = performance.now();
  const { previewRule } = await import('@hourglass/db');
  const preview = await previewRule(t.db, ws.id, rule, { resolve });
  const countMs = Math.round(performance.now() - c0);
  const latency = percentiles(samples);
  const label = customers >= 1000 ? `${Math.round(customers / 1000)}k` : String(customers);
  const round = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify(
      {
        benchmark: 'segment',
        customers,
        iterations,
        memberRate: round(members / iterations),
        previewCount: preview.count,
        figures: [
          {
            name: `segment.eval_p95_ms.customers_${label}`,
            value: round(latency.p95),
            unit: 'ms',
            target: 5,
          },
          { name: `segment.eval_p50_ms.customers_${label}`, value: round(latency.p50), unit: 'ms' },
          { name: `segment.preview_ms.customers_${label}`, value: countMs, unit: 'ms' },
        ],
      },
      null,
      2,
    ),
  );
} finally {
  await t.drop();
}
