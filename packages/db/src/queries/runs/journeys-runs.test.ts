import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../schema';
import { freshDatabase, testGraph as graph, seedWorkspace, type TestDatabase, testPlan } from '../../testing';
import { CustomerRow, JourneyVersionRow, MessageRow, RunRow, RunStepRow } from '../../zod';
import { upsertCustomerFromEvent } from '../customers/customers';
import {
  createJourney,
  getLiveVersion,
  listLiveJourneys,
  listVersions,
  publishVersion,
  updateJourneyDraft,
} from '../journeys/journeys';
import { appendMessageStatus, markMessageSent, reserveMessage } from '../messages/messages';
import { getRunTimeline, listActiveRunsForCustomer, recordStep, upsertRun } from './runs';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('journeys');
});
afterAll(async () => {
  await t?.drop();
});

async function setup() {
  const ws = await seedWorkspace(t.db);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { email: 'ada@example.com' });
  const journey = await createJourney(t.db, ws.id, { name: 'Review request', draftGraph: graph('draft') });
  return { ws, customer, journey };
}

describe('journeys and versions', () => {
  it('publishes consecutive immutable versions, even concurrently', async () => {
    const { ws, journey } = await setup();
    expect(await getLiveVersion(t.db, ws.id, journey.id)).toBeNull();
    const publish = (n: number) =>
      publishVersion(t.db, ws.id, journey.id, {
        graph: graph(`v${n}`),
        plan: testPlan(),
        planHash: `h${n}`,
      });
    await publish(1);
    await Promise.all([publish(2), publish(3), publish(4)]);
    const versions = await listVersions(t.db, ws.id, journey.id);
    expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    const live = await getLiveVersion(t.db, ws.id, journey.id);
    JourneyVersionRow.parse(live);
    expect(live?.version).toBe(4);
    const [entry] = await listLiveJourneys(t.db, ws.id);
    expect(entry?.journey.status).toBe('live');
    expect(entry?.version.version).toBe(4);

    const edited = await updateJourneyDraft(t.db, ws.id, journey.id, { draftGraph: graph('edited') });
    expect(edited?.draftGraph).toEqual(graph('edited'));
    expect(edited?.name).toBe('Review request');
  });
});

describe('runs', () => {
  it('upserts by workflow id and never reopens an ended run', async () => {
    const { ws, customer, journey } = await setup();
    const base = {
      workflowId: `wf-${journey.id}-${customer.id}`,
      journeyId: journey.id,
      version: 1,
      customerId: customer.id,
    };
    const started = await upsertRun(t.db, ws.id, base);
    expect(started.status).toBe('running');
    const waiting = await upsertRun(t.db, ws.id, {
      ...base,
      status: 'waiting',
      currentStep: 's2',
      waitingFor: { kind: 'sleep', until: '2024-01-08T10:00:00Z' },
    });
    expect(waiting).toMatchObject({ id: started.id, status: 'waiting', currentStep: 's2' });
    expect(await listActiveRunsForCustomer(t.db, ws.id, customer.id)).toHaveLength(1);

    const ended = await upsertRun(t.db, ws.id, {
      ...base,
      status: 'completed',
      waitingFor: null,
      endReason: 'done',
    });
    expect(ended.endedAt).toBeInstanceOf(Date);
    const late = await upsertRun(t.db, ws.id, { ...base, status: 'running', currentStep: 's1' });
    expect(late).toMatchObject({ status: 'completed', currentStep: 's2', endReason: 'done' });
    expect(await listActiveRunsForCustomer(t.db, ws.id, customer.id)).toHaveLength(0);
  });

  it('keeps what a report leaves out, clears what it sets to null, and stores every field it gives', async () => {
    const { ws, customer, journey } = await setup();
    const base = {
      workflowId: `wf-fields-${journey.id}`,
      journeyId: journey.id,
      version: 1,
      customerId: customer.id,
    };
    const first = await upsertRun(t.db, ws.id, {
      ...base,
      triggerEventId: 'evt-1',
      status: 'waiting',
      currentStep: 'wait',
      waitingFor: { kind: 'sleep', until: '2026-01-08T10:00:00Z' },
    });
    expect(first).toMatchObject({ triggerEventId: 'evt-1', orderId: null, endedAt: null, revenue: null });
    // Status only: the step and what it waits for stay.
    const running = await upsertRun(t.db, ws.id, { ...base, status: 'running' });
    expect(running).toMatchObject({ id: first.id, status: 'running', currentStep: 'wait' });
    expect(running.waitingFor).toEqual({ kind: 'sleep', until: '2026-01-08T10:00:00Z' });
    expect(running.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    // An explicit null clears; a conversion stores its time and revenue.
    const at = new Date('2026-01-09T12:00:00Z');
    const converted = await upsertRun(t.db, ws.id, {
      ...base,
      waitingFor: null,
      convertedAt: at,
      revenue: 42.5,
    });
    expect(converted).toMatchObject({
      status: 'running',
      currentStep: 'wait',
      waitingFor: null,
      revenue: 42.5,
    });
    expect(converted.convertedAt?.toISOString()).toBe(at.toISOString());
    const ended = await upsertRun(t.db, ws.id, { ...base, status: 'exited', endReason: 'exit_condition' });
    expect(ended).toMatchObject({
      status: 'exited',
      endReason: 'exit_condition',
      revenue: 42.5,
      triggerEventId: 'evt-1',
    });
    expect(ended.endedAt).toBeInstanceOf(Date);
  });

  it('records steps idempotently and returns an ordered timeline', async () => {
    const { ws, customer, journey } = await setup();
    const run = await upsertRun(t.db, ws.id, {
      workflowId: `wf-${journey.id}`,
      journeyId: journey.id,
      version: 1,
      customerId: customer.id,
    });
    const step = { runId: run.id, stepId: 's1', nodeId: 'n1', primitive: 'decide' as const };
    const reason = {
      field: 'customer.stats.aov',
      op: 'gt' as const,
      expected: 300,
      actual: 420,
      passed: true,
      text: 'AOV 420 > 300',
      case: 'yes',
    };
    await recordStep(t.db, ws.id, step);
    await recordStep(t.db, ws.id, step); // replayed "entered"
    const finished = await recordStep(t.db, ws.id, {
      ...step,
      finishedAt: new Date(),
      outcome: 'taken',
      port: 'yes',
      reasons: [reason],
      attempt: 2,
    });
    // A retried, less informed report does not erase what was recorded.
    const replay = await recordStep(t.db, ws.id, { ...step, attempt: 1 });
    expect(replay).toMatchObject({ id: finished.id, outcome: 'taken', port: 'yes', attempt: 2 });
    expect(replay.reasons).toEqual([reason]);
    expect(replay.error).toBeNull();
    // Entered without a time: the database's clock, once.
    expect(replay.enteredAt.getTime()).toBe(finished.enteredAt.getTime());
    expect(Math.abs(replay.enteredAt.getTime() - Date.now())).toBeLessThan(60_000);
    await recordStep(t.db, ws.id, { ...step, seq: 1 }); // second visit in a loop
    await recordStep(t.db, ws.id, { runId: run.id, stepId: 's2', nodeId: 'n2', primitive: 'act' });

    const timeline = await getRunTimeline(t.db, ws.id, run.id);
    expect(timeline?.steps.map((s) => `${s.stepId}#${s.seq}`)).toEqual(['s1#0', 's1#1', 's2#0']);
    // The drizzle-zod row schemas accept what the queries return.
    RunRow.parse(timeline?.run);
    for (const s of timeline?.steps ?? []) RunStepRow.parse(s);
    CustomerRow.parse(customer);
  });
});

describe('messages', () => {
  it('reserves once per idempotency key under concurrent calls', async () => {
    const { ws, customer } = await setup();
    const input = {
      idempotencyKey: `run-x:step-y:${ws.id}`,
      customerId: customer.id,
      channel: 'email' as const,
      provider: 'outbox' as const,
      toAddress: 'ada@example.com',
      subject: 'Thanks!',
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => reserveMessage(t.db, ws.id, input)));
    expect(results.filter((r) => r.reserved)).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    MessageRow.parse(results[0]?.message);
  });

  it('keeps the furthest status while recording every report', async () => {
    const { ws, customer } = await setup();
    const { message } = await reserveMessage(t.db, ws.id, {
      idempotencyKey: `k-${ws.id}`,
      customerId: customer.id,
      channel: 'sms',
      provider: 'twilio',
      toAddress: '+15550001111',
      bodyText: 'Hi',
    });
    const sent = await markMessageSent(t.db, ws.id, message.id, { providerMessageId: 'SM123' });
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: 'SM123' });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    await appendMessageStatus(t.db, ws.id, message.id, 'clicked');
    const late = await appendMessageStatus(t.db, ws.id, message.id, 'delivered', { detail: 'late receipt' });
    expect(late?.status).toBe('clicked');
    expect(late?.statusHistory.map((h) => h.status)).toEqual(['reserved', 'sent', 'clicked', 'delivered']);
    expect(late?.statusHistory[3]?.detail).toBe('late receipt');
  });

  it('orders concurrent reports: none is lost and the furthest status wins', async () => {
    const { ws, customer } = await setup();
    const { message } = await reserveMessage(t.db, ws.id, {
      idempotencyKey: `race-${ws.id}`,
      customerId: customer.id,
      channel: 'email',
      provider: 'resend',
      toAddress: 'ada@example.com',
      subject: 'Hi',
    });
    const reports = ['delivered', 'clicked', 'opened', 'sent', 'delivered', 'sent'] as const;
    await Promise.all(
      reports.map((status) =>
        appendMessageStatus(t.db, ws.id, message.id, status, {
          ...(status === 'sent' ? { providerMessageId: 'em_1' } : {}),
        }),
      ),
    );
    const [row] = await t.db.select().from(messages).where(eq(messages.id, message.id));
    expect(row?.status).toBe('clicked');
    expect(row?.providerMessageId).toBe('em_1');
    expect(row?.statusHistory.map((h) => h.status).sort()).toEqual(['reserved', ...reports].sort());
    // The first 'sent' to commit set sent_at; the other kept it.
    const sentAts = row?.statusHistory.filter((h) => h.status === 'sent').map((h) => h.at);
    expect(sentAts).toContain(row?.sentAt?.toISOString());
    // One clock (the database's): the history reads in order and nothing precedes the creation.
    const times = row!.statusHistory.map((h) => h.at);
    expect(times).toEqual([...times].sort());
    expect(times[0]).toBe(row?.createdAt.toISOString());
    expect(row!.sentAt!.getTime()).toBeGreaterThanOrEqual(row!.createdAt.getTime());
    // A report for another workspace's message changes nothing.
    const other = await setup();
    expect(await appendMessageStatus(t.db, other.ws.id, message.id, 'complained')).toBeNull();
  });
});
