import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJourney, publishVersion } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import type { Graph } from '@hourglass/journey';
import { compileJourney, graphBuilder } from '@hourglass/nodes';
import {
  buildWorkflowBundle,
  createWorker,
  type JourneyRunInput,
  journeyWorkflowId,
  signalRunEvent,
  startJourneyRun,
} from '@hourglass/workflows';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { BaselineAct } from './engine/baseline-workflow';

// Engine benchmark on a real Temporal server and PostgreSQL:
// - engine.throughput: journeys/s of a 6-step journey without waits (send, random split, three
//   sends, end) vs a hand-written workflow doing the same sends as local activities (baseline).
// - engine.history_events_per_step.<primitive>: history events one step adds (a journey with the
//   step minus the same journey without it) vs the fewest Temporal needs for that kind of step.
// Prints JSON figures on stdout, progress on stderr.
// Run: DATABASE_URL=… TEMPORAL_ADDRESS=… tsx bench/src/engine.bench.ts
//   BENCH_JOURNEYS (throughput runs per side, default 150)
// Worker RSS with parked runs is measured by worker-rss.bench.ts.

const journeys = Number(process.env.BENCH_JOURNEYS ?? 150);
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const progress = (msg: string) => process.stderr.write(`engine bench: ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const here = path.dirname(fileURLToPath(import.meta.url));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const t = await freshDatabase('bench_engine');
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  // Transactional sends only: frequency caps and quiet hours do not apply, every run sends.
  const customerIds = await bulkCustomers(t.pool, ws.id, 500);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address });
  const engineBundle = await buildWorkflowBundle();
  const baselineBundle = await bundleWorkflowCode({
    workflowsPath: path.join(here, 'engine', 'baseline-workflow.ts'),
    logger: quiet,
  });
  const tuning = { maxConcurrentActivityTaskExecutions: 200, maxConcurrentLocalActivityExecutions: 200 };
  const worker = async (taskQueue: string, bundle: { code: string }) => {
    const w = await createWorker({
      connection: native,
      config: { address, namespace: 'default', taskQueue },
      bundle,
      activities: { db: t.db, engine: { jitterMs: 0 } },
      tuning,
    });
    const running = w.run();
    const stop = async () => {
      w.shutdown();
      await running;
    };
    return { stop };
  };

  const publish = async (graph: Graph, sleepMs?: number) => {
    const compiled = compileJourney(graph);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    if (sleepMs !== undefined)
      for (const step of Object.values(compiled.plan.steps))
        if (step.type === 'sleep' && step.wake.kind === 'duration')
          step.wake = { kind: 'duration', ms: sleepMs };
    const { id } = await createJourney(t.db, ws.id, { name: `bench-${randomUUID().slice(0, 6)}` });
    const v = await publishVersion(t.db, ws.id, id, {
      graph,
      plan: compiled.plan,
      planHash: compiled.plan.hash,
    });
    return { journeyId: id, version: v.version, plan: compiled.plan };
  };
  const runInput = (j: { journeyId: string; version: number }, customerId: string): JourneyRunInput => ({
    workspaceId: ws.id,
    journeyId: j.journeyId,
    version: j.version,
    customerId,
    orderId: null,
    trigger: {
      id: randomUUID(),
      type: 'bench.start',
      occurredAt: new Date().toISOString(),
      orderId: null,
      properties: {},
    },
  });
  const idOf = (input: JourneyRunInput) =>
    journeyWorkflowId({
      workspaceId: ws.id,
      journeyId: input.journeyId,
      customerId: input.customerId,
      orderId: null,
      scope: 'customer',
      entry: 'every_time',
      entryKey: input.trigger.id,
    });
  const start = async (taskQueue: string, j: { journeyId: string; version: number }, customerId: string) => {
    const input = runInput(j, customerId);
    const out = await startJourneyRun(client, {
      taskQueue,
      workflowId: idOf(input),
      entry: 'every_time',
      input,
    });
    if (!out.started) throw new Error(`not started: ${out.reason}`);
    return out.workflowId;
  };

  // ---- throughput ---------------------------------------------------------------------------
  const six = await publish(
    trigger()
      .node('a', 'send_email', { subject: 'A {{ customer.firstName }}', body: 'a', transactional: true })
      .node('pick', 'ab_split', {})
      .node('b', 'send_sms', { text: 'B {{ customer.firstName }}', transactional: true })
      .node('c', 'send_email', { subject: 'C', body: 'c', transactional: true })
      .node('d', 'send_sms', { text: 'D', transactional: true })
      .node('done', 'exit')
      .edge('trigger', 'a')
      .edge('a', 'pick')
      .edge('pick', 'b', 'a')
      .edge('pick', 'b', 'b')
      .edge('b', 'c')
      .edge('c', 'd')
      .edge('d', 'done')
      .build(),
  );
  const stepCount = Object.keys(six.plan.steps).length;
  const acts: BaselineAct[] = Object.values(six.plan.steps)
    .filter((s) => s.type === 'act')
    .sort((x, y) => ['a', 'b', 'c', 'd'].indexOf(x.nodeId) - ['a', 'b', 'c', 'd'].indexOf(y.nodeId))
    .map((s) => ({
      stepId: s.id,
      nodeId: s.nodeId,
      action: s.action,
      input: s.input as Record<string, never>,
    }));
  const engineQueue = `bench-engine-${randomUUID().slice(0, 8)}`;
  const baselineQueue = `bench-baseline-${randomUUID().slice(0, 8)}`;
  const engineWorker = await worker(engineQueue, engineBundle);
  const baselineWorker = await worker(baselineQueue, baselineBundle);

  const batch = async (side: 'engine' | 'baseline', n: number) => {
    const t0 = performance.now();
    const ids: string[] = [];
    await inParallel(n, 32, async (i) => {
      const customerId = customerIds[i % customerIds.length]!;
      if (side === 'engine') ids.push(await start(engineQueue, six, customerId));
      else {
        const input = runInput(six, customerId);
        const h = await client.workflow.start('baselineRun', {
          taskQueue: baselineQueue,
          workflowId: `bench-baseline-${input.trigger.id}`,
          args: [input, acts],
        });
        ids.push(h.workflowId);
      }
    });
    await inParallel(ids.length, 64, (i) => client.workflow.getHandle(ids[i]!).result());
    return n / ((performance.now() - t0) / 1000);
  };
  progress(`warm-up`);
  await batch('baseline', 30);
  await batch('engine', 30);
  progress(`throughput: ${journeys} journeys per side (${stepCount} steps each)`);
  const base1 = await batch('baseline', journeys);
  const engineRate = await batch('engine', journeys);
  const base2 = await batch('baseline', journeys);
  const baselineRate = (base1 + base2) / 2;
  progress(`engine ${round(engineRate, 1)}/s, baseline ${round(base1, 1)} / ${round(base2, 1)}/s`);
  await baselineWorker.stop();

  // ---- history events per step ------------------------------------------------------------
  const historyLength = async (graph: Graph, afterPark?: (id: string) => Promise<void>) => {
    const j = await publish(graph, 200);
    const id = await start(engineQueue, j, customerIds[0]!);
    await afterPark?.(id);
    await client.workflow.getHandle(id).result();
    const history = await client.workflow.getHandle(id).fetchHistory();
    // Every event counts: runs started with revision 2 carry no patch marker (nor its upsert).
    return history.events?.length ?? 0;
  };
  const waitParked = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const r = await t.pool.query('select status from journey_runs where workflow_id = $1', [id]);
      if (r.rows[0]?.status === 'waiting') return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`${id} never parked`);
  };
  const one = (type: NodeKind, config: Record<string, unknown>, ports: string[] = ['']) => {
    const g = trigger().node('x', type, config).node('done', 'exit').edge('trigger', 'x');
    for (const p of ports) g.edge('x', 'done', ...(p ? [p] : []));
    return g.build();
  };
  const plain = await historyLength(trigger().node('done', 'exit').edge('trigger', 'done').build());
  const perStep = {
    sleep: (await historyLength(one('delay', { mode: 'duration', amount: 1, unit: 'minutes' }))) - plain,
    await:
      (await historyLength(
        one('wait_for_event', { eventType: 'bench.done', timeoutAmount: 1, timeoutUnit: 'days' }, [
          'happened',
          'timed_out',
        ]),
        async (id) => {
          await waitParked(id);
          const e = {
            id: randomUUID(),
            type: 'bench.done',
            occurredAt: new Date().toISOString(),
            orderId: null,
          };
          await signalRunEvent(client, id, { ...e, properties: {} });
        },
      )) - plain,
    decide: (await historyLength(one('branch', {}, ['big_first_order', 'else']))) - plain,
    act: (await historyLength(one('send_email', { subject: 'x', body: 'x', transactional: true }))) - plain,
    // The end step: the run minus its start (started + first workflow task) and the plan load.
    end: plain - 4 - 1,
  };
  // Fewest events Temporal needs: a timer (started, fired) and the task that wakes on it; a signal
  // racing a timeout timer (started, signal, cancelled) and its task; a local activity's marker, in
  // the workflow task already running (a regular activity would need scheduled, started, completed
  // and a task to take its result: 6); completing the workflow. A run that parks (sleep, await) must
  // also show where in the CurrentStep search attribute, and Temporal changes a search attribute
  // only through one UpsertWorkflowSearchAttributes event: that one counts too.
  const minimum = { sleep: 5 + 1, await: 6 + 1, decide: 1, act: 1, end: 1 };
  progress(`history events per step ${JSON.stringify(perStep)} (plain run ${plain})`);
  await engineWorker.stop();

  await native.close();
  await connection.close();
  process.stdout.write(
    `${JSON.stringify(
      {
        figures: [
          {
            name: 'engine.throughput',
            value: round(engineRate, 1),
            unit: 'journeys/s',
            baseline: round(baselineRate, 1),
            ratio: round(engineRate / baselineRate),
            target: 0.8,
          },
          ...(['sleep', 'await', 'decide', 'act', 'end'] as const).map((p) => ({
            name: `engine.history_events_per_step.${p}`,
            value: perStep[p],
            unit: 'events',
            baseline: minimum[p],
            ratio: round(perStep[p] / minimum[p]),
            target: 1.2,
          })),
        ],
        journeySteps: stepCount,
        plainRunEvents: plain,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await t.drop();
}

type NodeKind = Parameters<ReturnType<typeof graphBuilder>['node']>[1];

function trigger() {
  return graphBuilder().node('trigger', 'trigger', {
    start: { kind: 'event', eventType: 'bench.start', filter: null },
    scope: 'customer',
    entry: { rule: 'every_time' },
  });
}

/** Runs `fn(0..n-1)` with at most `width` in flight. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Inserts `n` customers with email and phone, subscribed on both channels. */
async function bulkCustomers(
  pool: { query: (sql: string, params: unknown[]) => Promise<{ rows: Array<{ id: string }> }> },
  workspaceId: string,
  n: number,
): Promise<string[]> {
  const r = await pool.query(
    `insert into customers (workspace_id, external_id, email, phone, first_name, timezone, consent)
     select $1, 'bench-' || g, 'bench' || g || '@example.com', '+1555' || lpad(g::text, 7, '0'), 'Ada', 'UTC',
            '{"email":"subscribed","sms":"subscribed"}'::jsonb
     from generate_series(1, $2::int) g returning id`,
    [workspaceId, n],
  );
  return r.rows.map((row) => row.id);
}
