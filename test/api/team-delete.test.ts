import { randomUUID } from 'node:crypto';
import { upsertRun } from '@hourglass/db';
import { dateSweepScheduleId, JOURNEY_WORKFLOW } from '@hourglass/workflows/client';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../src/env';
import { simpleGraph } from './graphs';
import { login, orderEvent } from './harness';
import { type EngineHarness, engineHarness } from './support-engine';

// Deleting a workspace on the real engine: its runs in flight end cleanly through Temporal (told
// their journey is archived, they record their end themselves), a run no worker picks up is
// terminated rather than left to wake up later against deleted rows, and the date schedule goes too.

let h: EngineHarness;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  h = await engineHarness('api_team_delete');
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: 'default' });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await connection?.close().catch(() => {});
});

const count = async (table: string, workspaceId: string) =>
  Number(
    (await h.t.pool.query(`select count(*)::int as n from ${table} where workspace_id = $1`, [workspaceId]))
      .rows[0].n,
  );

describe('deleting a workspace with runs in flight', () => {
  it('ends its runs through Temporal, then removes its data and schedule', async () => {
    const { tenant, other } = h;
    const ws = tenant.workspace.id;
    const owner = await login(h.app, tenant.owner.email);
    const journey = await h.publish('Waits three days', simpleGraph());
    await h.ingest(orderEvent('deleted_brand_customer', 120));
    const run = await h.until(async () => {
      const rows = await h.t.pool.query(
        "select workflow_id, customer_id from journey_runs where workspace_id = $1 and status = 'waiting'",
        [ws],
      );
      return rows.rows[0] as { workflow_id: string; customer_id: string } | undefined;
    });
    // A run no worker will ever pick up (its task queue is not polled): it cannot end by itself.
    const stuckId = `hg:${ws}:stuck:${randomUUID()}`;
    await client.workflow.start(JOURNEY_WORKFLOW, {
      taskQueue: `nobody-${randomUUID()}`,
      workflowId: stuckId,
      args: [{}],
    });
    await upsertRun(h.t.db, ws, {
      workflowId: stuckId,
      journeyId: journey.id,
      version: 1,
      customerId: run.customer_id,
      status: 'running',
    });
    // The date schedule a workspace has (created with it, or when the API starts).
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/workspaces',
      headers: owner,
      payload: { name: 'Scheduled brand' },
    });
    const scheduled = created.json().id as string;
    await client.schedule.getHandle(dateSweepScheduleId(scheduled)).describe();
    const otherCustomers = await count('customers', other.workspace.id);

    const res = await h.app.inject({
      method: 'DELETE',
      url: '/v1/workspace',
      headers: owner,
      payload: { confirm: tenant.workspace.name },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, journeys: 1, terminated: 1 });
    expect(res.json().signalled).toBeGreaterThanOrEqual(1);

    // The real run ended by itself, as archiving ends runs; the stuck one was terminated.
    const ended = await client.workflow.getHandle(run.workflow_id).describe();
    expect(ended.status.name).toBe('COMPLETED');
    expect(await client.workflow.getHandle(run.workflow_id).result()).toMatchObject({
      status: 'cancelled',
      reason: 'archived',
    });
    expect((await client.workflow.getHandle(stuckId).describe()).status.name).toBe('TERMINATED');
    for (const table of ['journeys', 'journey_runs', 'run_steps', 'customers', 'events', 'memberships'])
      expect(await count(table, ws), table).toBe(0);
    expect(await count('customers', other.workspace.id)).toBe(otherCustomers);

    const scheduledOwner = { ...owner, 'x-workspace-id': scheduled };
    const gone = await h.app.inject({
      method: 'DELETE',
      url: '/v1/workspace',
      headers: scheduledOwner,
      payload: { confirm: 'Scheduled brand' },
    });
    expect(gone.statusCode, gone.body).toBe(200);
    await expect(client.schedule.getHandle(dateSweepScheduleId(scheduled)).describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
  }, 120_000);
});
