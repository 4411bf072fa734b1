import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { graphBuilder, templates } from '@hourglass/nodes';
import { historiesDir, historyToJSON, searchAttributes } from '@hourglass/workflows';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHarness, type Harness } from './harness';

// On the shared dev server: search attributes, golden histories, and a worker killed mid-batch.

const HISTORIES = historiesDir;
const record = process.env.HOURGLASS_RECORD_HISTORIES === '1';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('dev_server', { timeSkipping: false, engine: { jitterMs: 0 } });
});
afterAll(async () => {
  await h?.close();
});

async function saveHistory(name: string, workflowId: string) {
  if (!record) return;
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  fs.mkdirSync(HISTORIES, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES, `${name}.json`), historyToJSON(history));
}

describe('engine on the dev server', () => {
  it('sets CustomerId / JourneyId / JourneyVersion at start and CurrentStep as the run parks', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {
          goal: { eventType: 'order.placed', filter: null, windowHours: 24, exitOnReach: false },
        })
        .node('hello', 'send_email', { subject: 'Hi {{ customer.firstName }}', body: 'x' })
        .node('pick', 'ab_split', {})
        .node('wait', 'wait_for_event', {
          eventType: 'order.fulfilled',
          timeoutAmount: 1,
          timeoutUnit: 'days',
        })
        .node('nap', 'delay', { mode: 'duration', amount: 1, unit: 'minutes' })
        .node('bye', 'send_sms', { text: 'Shipped: {{ event.properties.trackingUrl }}', transactional: true })
        .edge('trigger', 'hello')
        .edge('hello', 'pick')
        .edge('pick', 'wait', 'a')
        .edge('pick', 'wait', 'b')
        .edge('wait', 'nap', 'happened')
        .edge('nap', 'bye')
        .build(),
      undefined,
      1000,
    );
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 80 });
    const id = await h.start(j, c.id, o.id);
    await h.waitRun(id, (r) => r.currentStep === 'wait');
    // The upsert lands with the workflow task that parks the run, just after the database record.
    let desc = await h.client.workflow.getHandle(id).describe();
    for (let i = 0; i < 50 && desc.typedSearchAttributes.get(searchAttributes.CurrentStep) !== 'wait'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      desc = await h.client.workflow.getHandle(id).describe();
    }
    expect(desc.typedSearchAttributes.get(searchAttributes.CustomerId)).toBe(c.id);
    expect(desc.typedSearchAttributes.get(searchAttributes.JourneyId)).toBe(j.journeyId);
    expect(desc.typedSearchAttributes.get(searchAttributes.JourneyVersion)).toBe(1);
    expect(desc.typedSearchAttributes.get(searchAttributes.CurrentStep)).toBe('wait');
    const reorder = await h.order(c.id, { total: 12 });
    await h.event(id, 'order.placed', reorder.id);
    await h.event(id, 'order.fulfilled', o.id, { trackingUrl: 'https://t.example/x' });
    expect(await h.result(id)).toMatchObject({ status: 'completed', converted: true });
    await saveHistory('await-goal-split-sleep-sms.r3', id);
  });

  it('records golden histories of the seed templates', async () => {
    if (!record) return;
    const tpl = templates.find((t) => t.id === 'thank_you')!;
    const j = await h.publish(tpl.graph, undefined, 500);
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 150 });
    const id = await h.start(j, c.id, o.id);
    await h.result(id);
    await saveHistory('thank-you-branch.r3', id);
  });

  it('records a golden history whose later steps read a step output (revision 3)', async () => {
    if (!record) return;
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('discount', 'create_discount', { value: 15 })
        .node('split', 'branch', {
          cases: [
            {
              id: 'big',
              label: '15% or more',
              when: {
                kind: 'conditions',
                rule: { field: 'steps.discount.percentOff', op: 'gte', value: 15 },
              },
            },
          ],
        })
        .node('mail', 'send_email', {
          subject: 'Code {{ steps.discount.code }}',
          body: 'x',
          transactional: true,
        })
        .node('done', 'exit')
        .edge('trigger', 'discount')
        .edge('discount', 'split')
        .edge('split', 'mail', 'big')
        .edge('split', 'done', 'else')
        .edge('mail', 'done')
        .build(),
    );
    const c = await h.customer({});
    const id = await h.start(j, c.id, (await h.order(c.id, { total: 15 })).id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    expect((await h.messages(c.id)).map((m) => m.subject?.startsWith('Code '))).toEqual([true]);
    await saveHistory('discount-branch-email.r3', id);
  });

  it('runs actions as local activities and records pure steps with them: no activity task, no patch marker, every step in the database', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('first', 'send_email', { subject: 'one', body: 'x', transactional: true })
        .node('pick', 'ab_split', {})
        .node('second', 'send_sms', { text: 'two', transactional: true })
        .node('nap', 'delay', { mode: 'duration', amount: 1, unit: 'minutes' })
        .node('third', 'send_email', { subject: 'three', body: 'x', transactional: true })
        .edge('trigger', 'first')
        .edge('first', 'pick')
        .edge('pick', 'second', 'a')
        .edge('pick', 'second', 'b')
        .edge('second', 'nap')
        .edge('nap', 'third')
        .build(),
      undefined,
      300,
    );
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 20 });
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const history = await h.client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const markers = events
      .map((e) => e.markerRecordedEventAttributes?.markerName)
      .filter((m) => m !== undefined && m !== null);
    // loadRun and the three sends (revision 2): the split rides on the SMS, the sleep's entry on the
    // SMS, the end on the last email; the revision comes with the input, not a patch marker.
    expect(markers).toEqual(Array(4).fill('core_local_activity'));
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);
    const run = await h.waitRun(id, () => true);
    expect(run).toMatchObject({ status: 'completed', waitingFor: null });
    const steps = await h.steps(run.id);
    const rows = steps.map((r) => ({
      node: r.node_id,
      outcome: r.outcome,
      finished: r.finished_at !== null,
    }));
    expect(rows).toEqual([
      { node: 'first', outcome: 'ok', finished: true },
      { node: 'pick', outcome: 'decided', finished: true },
      { node: 'second', outcome: 'ok', finished: true },
      { node: 'nap', outcome: 'woke', finished: true },
      { node: 'third', outcome: 'ok', finished: true },
      { node: expect.any(String), outcome: run.endReason, finished: true },
    ]);
    expect(steps[1]?.port).toMatch(/^[ab]$/);
  });

  it('lets a rule decision record the end behind the port it picks: one marker for the decision, none for the end', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('split', 'branch', {})
        .node('done', 'exit')
        .edge('trigger', 'split')
        .edge('split', 'done', 'big_first_order')
        .edge('split', 'done', 'else')
        .build(),
    );
    const c = await h.customer({});
    const o = await h.order(c.id, { total: 20 });
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const events = (await h.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    // loadRun and the decision; the end was written by the decision.
    expect(markers).toEqual(['core_local_activity', 'core_local_activity']);
    const run = await h.waitRun(id, (r) => r.status === 'completed');
    const steps = await h.steps(run.id);
    expect(steps.map((r) => [r.node_id, r.outcome])).toEqual([
      ['split', 'decided'],
      [expect.any(String), run.endReason],
    ]);
    expect(steps[0]?.port).toBe('else');
  });

  it('keeps a run started with revision 1 (by an older API) on regular activities, behind the fold patch', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('hello', 'send_email', { subject: 'one', body: 'x', transactional: true })
        .edge('trigger', 'hello')
        .build(),
    );
    const c = await h.customer({});
    const id = await h.start(j, c.id, null, 'order.placed', 1);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const events = (await h.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers).toEqual(['core_patch', 'core_local_activity']);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(1);
    const sent = await h.messages(c.id);
    expect(sent.map((m) => m.subject)).toEqual(['one']);
  });

  it('answers the __stack_trace query only on a worker started with HOURGLASS_WORKFLOW_STACK_TRACES=1', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('wait', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
        .node('done', 'exit')
        .edge('trigger', 'wait')
        .edge('wait', 'done')
        .build(),
    );
    const stackTrace = (workflowId: string) =>
      h.client.workflow.getHandle(workflowId).query<string>('__stack_trace');
    const a = await h.customer({});
    const quiet = await h.start(j, a.id, (await h.order(a.id, { total: 10 })).id);
    await h.waitRun(quiet, (r) => r.status === 'waiting');
    // By default the promise hook that collects these traces is off: it costs every promise a stack.
    await expect(stackTrace(quiet)).rejects.toThrow('Workflow stack traces are not enabled on this worker');
    const queue = `${h.taskQueue}-traces`;
    const worker = startChildWorker(queue, h.db.url, { HOURGLASS_WORKFLOW_STACK_TRACES: '1' });
    try {
      const b = await h.customer({});
      const traced = await h.startOn(queue, j, b.id, (await h.order(b.id, { total: 10 })).id);
      await h.waitRun(traced, (r) => r.status === 'waiting', 60_000);
      expect(await stackTrace(traced)).toMatch(/\n?\s*at /);
    } finally {
      worker.kill('SIGTERM');
    }
  }, 90_000);

  it('survives kill -9 of the worker mid-batch: every journey completes, no message twice', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('one', 'send_email', { subject: 'one', body: 'x', transactional: true })
        .node('pause', 'delay', { mode: 'duration', amount: 2, unit: 'minutes' })
        .node('two', 'send_sms', { text: 'two', transactional: true })
        .node('pause2', 'delay', { mode: 'duration', amount: 1, unit: 'minutes' })
        .node('three', 'send_email', { subject: 'three', body: 'x', transactional: true })
        .edge('trigger', 'one')
        .edge('one', 'pause')
        .edge('pause', 'two')
        .edge('two', 'pause2')
        .edge('pause2', 'three')
        .build(),
      undefined,
      1500,
    );
    const queue = `${h.taskQueue}-child`;
    const child = () => startChildWorker(queue, h.db.url);
    let worker = child();
    const ids: string[] = [];
    const customers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const c = await h.customer({});
      const o = await h.order(c.id, { total: 10 });
      customers.push(c.id);
      ids.push(await h.startOn(queue, j, c.id, o.id));
    }
    // Kill once some messages exist and before the batch is done.
    for (let i = 0; i < 300; i++) {
      const r = await h.db.pool.query('select count(*)::int as n from messages where journey_id = $1', [
        j.journeyId,
      ]);
      if (r.rows[0].n >= 10) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    worker.kill('SIGKILL');
    await new Promise((res) => worker.once('exit', res));
    worker = child();
    try {
      const results = await Promise.all(ids.map((id) => h.result(id)));
      expect(results.every((r) => r.status === 'completed')).toBe(true);
      const r = await h.db.pool.query(
        'select run_id, count(*)::int as n, count(distinct idempotency_key)::int as keys from messages where journey_id = $1 group by run_id',
        [j.journeyId],
      );
      expect(r.rows).toHaveLength(20);
      for (const row of r.rows) expect(row).toMatchObject({ n: 3, keys: 3 });
    } finally {
      worker.kill('SIGTERM');
    }
  }, 120_000);
});

function startChildWorker(
  taskQueue: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): ChildProcess {
  const root = path.resolve(import.meta.dirname, '../..');
  // node itself (not the tsx wrapper), so SIGKILL reaches the worker and no orphan is left behind.
  return spawn(process.execPath, ['--import', 'tsx', 'workflows/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_TASK_QUEUE: taskQueue,
      HOURGLASS_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      HOURGLASS_ACT_TIMEOUT_MS: '3000',
      HOURGLASS_JITTER_MS: '0',
      ...env,
    },
  });
}
