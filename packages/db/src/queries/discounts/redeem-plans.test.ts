import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph, testPlan } from '../../testing';
import { applyStatement } from '../ingest/ingest-sql';
import { customerIdentity } from '../ingest/locks';
import { createJourney, publishVersion } from '../journeys/journeys';

// The apply statement of an order carrying codes is planned on every call with its values (the unnamed
// statement), never prepared: a generic plan made while discount_codes and journey_runs were small would
// walk the workspace's codes or runs. Planned with the values, on tables that grew a lot since they were
// last analyzed, it finds the code and the run by index.

const ROWS = 3000;
let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('redeem_plans');
}, 60_000);
afterAll(async () => {
  await t?.drop();
});

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };
const nodes = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(nodes)];

describe('redeeming codes at ingest', () => {
  const customer = {
    id: customerIdentity({ externalId: 'c1' }),
    newId: randomUUID(),
    input: { externalId: 'c1' },
  };
  const event = () => ({ id: randomUUID(), type: 'order.placed' });

  it('redeems only for orders that carry codes (other events pay nothing), planned per call', () => {
    const statement = (codes?: string[]) =>
      applyStatement(randomUUID(), customer, { externalId: 'o', discountCodes: codes }, event()).statement;
    for (const none of [undefined, [], [' ']]) {
      expect(statement(none).text).not.toContain('update discount_codes');
      expect(statement(none).name).toMatch(/^hg_/);
    }
    expect(statement(['A']).text).toContain('update discount_codes');
    expect(statement(['A']).name).toBe('');
  });

  it('looks each code and run up by index in a workspace that grew since the tables were analyzed', async () => {
    const ws = (await seedWorkspace(t.db, 'Redeem plans')).id;
    const journey = await createJourney(t.db, ws, { name: 'J', draftGraph: testGraph() });
    await publishVersion(t.db, ws, journey.id, { graph: testGraph(), plan: testPlan(), planHash: 'h' });
    await t.pool.query('analyze discount_codes; analyze journey_runs; analyze customers');
    await t.pool.query(
      `insert into customers (workspace_id, external_id) select $1, 'c' || g from generate_series(1, $2::int) g`,
      [ws, ROWS],
    );
    await t.pool.query(
      `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id)
       select workspace_id, 'wf-' || external_id, $2, 1, id from customers where workspace_id = $1`,
      [ws, journey.id],
    );
    await t.pool.query(
      `insert into discount_codes (workspace_id, code, kind, value, customer_id, run_id, idempotency_key)
       select r.workspace_id, upper(c.external_id), 'percent', 10, r.customer_id, r.id, r.workflow_id
       from journey_runs r join customers c on c.id = r.customer_id where r.workspace_id = $1`,
      [ws],
    );
    const order = { externalId: 'o-1', total: 10, discountCodes: ['c1'] };
    const { statement, values } = applyStatement(ws, customer, order, event());
    const client = await t.pool.connect();
    let plan: PlanNode[];
    try {
      await client.query('begin');
      // Parameters bound like ingest binds them: planned with their values.
      const res = await client.query(`explain (analyze, buffers, format json) ${statement.text}`, values);
      plan = nodes((res.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan);
    } finally {
      await client.query('rollback');
      client.release();
    }
    const on = (n: PlanNode) => ['discount_codes', 'journey_runs'].includes(String(n['Relation Name']));
    const scans = plan.filter((n) => String(n['Node Type']).includes('Scan') && on(n));
    const seen = JSON.stringify(
      scans.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name'], n['Actual Rows']]),
    );
    expect(scans.map((n) => n['Relation Name']).sort(), seen).toEqual(['discount_codes', 'journey_runs']);
    for (const n of scans) {
      expect(n['Node Type'], seen).toBe('Index Scan');
      const pages = Number(n['Shared Hit Blocks'] ?? 0) + Number(n['Shared Read Blocks'] ?? 0);
      expect(pages, seen).toBeLessThan(20);
    }
    // The code was found and redeemed, and its run converted.
    const updates = plan.filter((n) => n['Node Type'] === 'ModifyTable' && on(n));
    expect(updates.map((n) => [n['Relation Name'], n['Actual Rows']]).sort(), seen).toEqual([
      ['discount_codes', 1],
      ['journey_runs', 1],
    ]);
  }, 60_000);
});
