import { createJourney, type Executor, publishVersion } from '@hourglass/db';
import { seedWorkspace, type TestDatabase, testGraph, testPlan } from '@hourglass/db/testing';

// Generates a brand's few years of history in one workspace, in SQL (generate_series), so a million
// customers take minutes: customers, orders with items, events, runs with steps and messages. Row ids
// are derived from a counter (md5 → uuid) so later tables reference earlier ones without joins.
// Skew: 70% of customers have one order, the rest follow a power law (the heaviest have thousands);
// events fall mostly on the heavy customers too; everything is spread over three years.

/** Row counts at scale 1 (what a brand with a few years of history has). */
export const FULL = {
  customers: 1_000_000,
  orders: 3_000_000,
  events: 10_000_000,
  runs: 1_000_000,
  stepsPerRun: 5,
  messagesPerRun: 3,
};

export type VolumeCounts = { customers: number; orders: number; events: number; runs: number };

/** Counts at a scale (0.05 = 50,000 customers); never fewer than 20 customers. */
export function countsAt(scale: number): VolumeCounts {
  const n = (full: number) => Math.max(20, Math.round(full * scale));
  return {
    customers: n(FULL.customers),
    orders: n(FULL.orders),
    events: n(FULL.events),
    runs: Math.min(n(FULL.runs), n(FULL.orders)),
  };
}

export type Seeded = { workspaceId: string; journeyId: string; counts: VolumeCounts; seconds: number };

const uuidOf = (prefix: string, counter: string) => `md5('${prefix}' || ${counter})::uuid`;
const YEARS3 = `interval '1095 days'`;

/**
 * Loads the workspace. Secondary indexes of the big tables are dropped first and rebuilt after (as
 * their migrations define them), and foreign-key triggers are off for the load session (superuser):
 * both are what a bulk import does, and the data is consistent by construction.
 */
export async function seedVolume(
  pool: TestDatabase['pool'],
  db: Executor,
  counts: VolumeCounts,
  progress: (msg: string) => void,
): Promise<Seeded> {
  const t0 = performance.now();
  const ws = await seedWorkspace(db, 'Volume');
  const journey = await createJourney(db, ws.id, { name: 'Post-purchase', draftGraph: testGraph() });
  await publishVersion(db, ws.id, journey.id, {
    graph: testGraph(),
    plan: testPlan(),
    planHash: '0'.repeat(64),
  });
  const client = await pool.connect();
  try {
    const q = async (label: string, text: string, params: unknown[] = []) => {
      const s = performance.now();
      const r = await client.query(text, params);
      progress(`${label}: ${r.rowCount ?? ''} rows in ${Math.round(performance.now() - s)} ms`);
    };
    await client.query(
      "set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '256MB'",
    );
    const tables = ['customers', 'orders', 'events', 'journey_runs', 'run_steps', 'messages'];
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public' and i.tablename = any($1)
         and not exists (select 1 from pg_constraint c where c.conindid = format('%I', i.indexname)::regclass)`,
      [tables],
    );
    for (const i of indexes) await client.query(`drop index "${i.name}"`);

    const heavy = Math.max(1, Math.round(counts.customers * 0.3));
    // Σ_{k≤heavy} A·k^-0.6 ≈ A·heavy^0.4/0.4 orders for the heavy 30%; one each for the rest.
    const a = Math.max(1, ((counts.orders - (counts.customers - heavy)) * 0.4) / heavy ** 0.4);
    await q(
      'customers',
      `insert into customers (id, workspace_id, external_id, email, first_name, last_name, timezone, tags, attributes, birthday, created_at, updated_at)
       select ${uuidOf('c', 'g')}, $1, 'c' || g, 'shopper' || g || '@example.com',
              (array['Ada','Ben','Cleo','Dev','Eva','Finn','Gus','Hana'])[1 + g % 8] || g % 1000,
              'Family' || g % 5000, (array['Europe/Paris','America/New_York','Asia/Tokyo','UTC'])[1 + g % 4],
              array['t' || g % 10], jsonb_build_object('plan', (array['gold','silver','bronze'])[1 + g % 3], 'score', g % 100),
              case when g % 3 = 0 then date '1970-01-01' + (g % 18000) end,
              now() - ${YEARS3} * (g::float8 / $2), now()
       from generate_series(1, $2::int) g`,
      [ws.id, counts.customers],
    );
    await q(
      'orders',
      `insert into orders (id, workspace_id, customer_id, external_id, total, currency, items, status, placed_at, created_at, updated_at)
       select ${uuidOf('o', 'row_number() over ()')}, $1, ${uuidOf('c', 'k')}, 'o' || k || '-' || j,
              20 + (k * 7 + j * 13) % 300, 'USD',
              jsonb_build_array(jsonb_build_object('sku', 'SKU' || (k + j) % 500, 'name', 'Product ' || (k + j) % 500, 'quantity', 1 + j % 3, 'price', 20 + (k + j) % 100),
                                jsonb_build_object('sku', 'SKU' || (k * j) % 500, 'quantity', 1, 'price', 15)),
              (array['placed','fulfilled','delivered','delivered','delivered'])[1 + (k + j) % 5],
              now() - ${YEARS3} * random(), now(), now()
       from generate_series(1, $2::int) k,
            generate_series(1, case when k <= $3 then greatest(1, round($4 * k ^ -0.6))::int else 1 end) j`,
      [ws.id, counts.customers, heavy, a],
    );
    await q(
      'customer stats',
      `update customers c set orders_count = s.n, total_spent = s.total, aov = round(s.total / s.n, 2),
         first_order_at = s.first, last_order_at = s.last
       from (select customer_id, count(*) n, sum(total) total, min(placed_at) first, max(placed_at) last
             from orders where workspace_id = $1 group by customer_id) s
       where c.workspace_id = $1 and c.id = s.customer_id`,
      [ws.id],
    );
    // Events: customer k drawn with density ∝ k^-0.5 (heavy customers see most of the traffic).
    await q(
      'events',
      `insert into events (workspace_id, id, type, customer_id, properties, occurred_at, received_at, routing_state, routed_at)
       select $1, 'e' || g, (array['page.viewed','product.viewed','cart.updated','order.placed','email.opened','checkout.started'])[1 + g % 6],
              ${uuidOf('c', '(1 + floor($3 * random() ^ 2))::int')},
              jsonb_build_object('source', 'volume', 'n', g % 1000), t, t, 'routed', t
       from (select g, now() - ${YEARS3} * random() as t from generate_series(1, $2::int) g) s`,
      [ws.id, counts.events, counts.customers],
    );
    // Runs: one per order of the first orders generated (the orders' own customers and dates).
    await q(
      'journey_runs',
      `insert into journey_runs (id, workspace_id, workflow_id, journey_id, version, customer_id, order_id, status, current_step, started_at, updated_at, ended_at, end_reason, converted_at, revenue)
       select ${uuidOf('r', 'n')}, $1, 'run-' || n, $2, 1, customer_id, id, st,
              case when st = 'waiting' then 's2' end, placed_at, placed_at,
              case when st <> 'waiting' then placed_at + interval '9 days' end,
              case when st = 'completed' then 'completed' when st = 'exited' then 'exit' end,
              case when n % 20 = 0 then placed_at + interval '2 days' end,
              case when n % 20 = 0 then 50 end
       from (select o.*, row_number() over () n,
                    case (row_number() over ()) % 20 when 7 then 'waiting' when 3 then 'exited' when 13 then 'exited'
                      else 'completed' end st
             from (select * from orders where workspace_id = $1 limit $3) o) s`,
      [ws.id, journey.id, counts.runs],
    );
    await q(
      'run_steps',
      `insert into run_steps (workspace_id, run_id, step_id, node_id, primitive, seq, entered_at, finished_at, outcome, port)
       select r.workspace_id, r.id, 's' || i, 'n' || i, (array['act','sleep','act','decide','act'])[i], 0,
              r.started_at + (i - 1) * interval '2 days', r.started_at + (i - 1) * interval '2 days' + interval '1 second',
              case when i = 4 then 'decided' else 'ok' end, case when i = 4 then (array['yes','no'])[1 + abs(hashtext(r.id::text)) % 2] end
       from journey_runs r, generate_series(1, ${FULL.stepsPerRun}) i
       where r.workspace_id = $1 and not (r.status = 'waiting' and i > 2)`,
      [ws.id],
    );
    await q(
      'messages',
      `insert into messages (workspace_id, run_id, step_id, customer_id, journey_id, channel, provider, idempotency_key, to_address, subject, body_text, status, status_history, created_at, sent_at)
       select r.workspace_id, r.id, s, r.customer_id, r.journey_id, case when s = 's3' then 'sms' else 'email' end, 'outbox',
              r.id || ':' || s, 'shopper@example.com', 'Your order', repeat('Thanks for your order. ', 12), st,
              jsonb_build_array(jsonb_build_object('status', 'sent', 'at', t), jsonb_build_object('status', st, 'at', t + interval '1 minute')),
              t, t
       from journey_runs r, unnest(array['s1','s3','s5']) s,
            lateral (select r.started_at + (substr(s, 2)::int - 1) * interval '2 days' as t,
                            (array['delivered','delivered','opened','clicked','sent','bounced'])[1 + abs(hashtext(r.id::text || s)) % 6] as st) x
       where r.workspace_id = $1 and not (r.status = 'waiting' and s <> 's1')`,
      [ws.id],
    );
    for (const i of indexes) await q(`index ${i.name}`, i.def);
    // A database with years of history has been vacuumed by autovacuum, which also keeps the visibility
    // map that index-only reads rely on; a bulk load has not been yet. This session commits
    // asynchronously: the checkpoint flushes its commits first, or vacuum could not mark their rows
    // visible to everyone yet.
    await q('checkpoint', 'checkpoint');
    await q('vacuum', `vacuum ${tables.join(', ')}`);
    await q('analyze', `analyze ${tables.join(', ')}`);
  } finally {
    await client.query('reset session_replication_role').catch(() => {});
    client.release();
  }
  const seconds = Math.round((performance.now() - t0) / 1000);
  return { workspaceId: ws.id, journeyId: journey.id, counts, seconds };
}
