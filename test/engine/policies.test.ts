import { addSuppression, upsertCustomerFromEvent } from '@hourglass/db';
import { graphBuilder, type JourneyTemplate, templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSent, createHarness, DAY, type Harness } from './harness';

// Sending policies and run control on the time-skipping server: quiet hours, consent, exits,
// cancellation, pause, continue-as-new.

let h: Harness;
beforeAll(async () => {
  h = await createHarness('policies', {
    timeSkipping: true,
    quietHours: { start: '21:00', end: '08:00' },
    engine: { maxHistoryEvents: 60 },
  });
});
afterAll(async () => {
  await h?.close();
});

const localClock = (tz: string, at: Date) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).format(at);

describe('policies (time-skipping)', () => {
  it('5. an SMS due at 23:00 local goes out at 08:00 local the next morning, in each customer zone', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('late', 'delay', { mode: 'time_of_day', hour: 23, minute: 0 })
        .node('sms', 'send_sms', { text: 'Psst, {{ customer.firstName }}' })
        .node('done', 'exit')
        .edge('trigger', 'late')
        .edge('late', 'sms')
        .edge('sms', 'done')
        .build(),
    );
    for (const tz of ['America/New_York', 'Asia/Tokyo']) {
      const c = await h.customer({ tz });
      const o = await h.order(c.id, { total: 10 });
      const id = await h.start(j, c.id, o.id);
      await h.result(id);
      const [m] = await h.messages(c.id);
      expect(m?.status).toBe('sent');
      const run = await h.waitRun(id, () => true);
      const sms = (await h.steps(run.id)).find((s) => s.step_id === 'sms')!;
      expect(sms.outcome).toBe('ok');
      expect(localClock(tz, sms.entered_at as Date)).toMatch(/^23:0[01]$/);
      // When it went out, in workflow time: the step's end (the message ledger is stamped by the
      // database's own clock, which time skipping does not move). Jitter is at most a minute on the
      // 23:00 wake and a minute on the deferral.
      expect(localClock(tz, sms.finished_at as Date)).toMatch(/^08:0[0-2]$/);
    }
  });

  it('6. unsubscribing from SMS mid-journey stops further SMS; email continues', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('noon', 'delay', { mode: 'time_of_day', hour: 12, minute: 0 })
        .node('sms1', 'send_sms', { text: 'one' })
        .node('email1', 'send_email', { subject: 'one', body: 'x' })
        .node('later', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
        .node('sms2', 'send_sms', { text: 'two' })
        .node('email2', 'send_email', { subject: 'two', body: 'x' })
        .edge('trigger', 'noon')
        .edge('noon', 'sms1')
        .edge('sms1', 'email1')
        .edge('email1', 'later')
        .edge('later', 'sms2')
        .edge('sms2', 'email2')
        .build(),
    );
    const c = await h.customer({ tz: 'Europe/Paris' });
    const o = await h.order(c.id, { total: 10 });
    const id = await h.start(j, c.id, o.id);
    await sleepUntil(h, id, 'later');
    await upsertCustomerFromEvent(h.db.db, h.ws.id, {
      externalId: await externalIdOf(h, c.id),
      consent: { sms: 'unsubscribed' },
    });
    await h.result(id);
    const msgs = await h.messages(c.id);
    expect(countSent(msgs)).toEqual({ email: 2, sms: 1 });
    const skipped = msgs.find((m) => m.status === 'skipped')!;
    expect(skipped).toMatchObject({ channel: 'sms', skip_reason: 'unsubscribed' });
    const run = await h.waitRun(id, () => true);
    const sms2 = (await h.steps(run.id)).find((s) => s.step_id === 'sms2')!;
    expect(sms2.outcome).toBe('skipped');
    expect(sms2.reasons).toEqual([expect.objectContaining({ reason: 'unsubscribed' })]);
  });

  it('a suppressed phone number gets no SMS either (STOP)', async () => {
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('sms', 'send_sms', { text: 'hi', transactional: true })
        .edge('trigger', 'sms')
        .build(),
    );
    const c = await h.customer({ phone: '+15559990001' });
    await addSuppression(h.db.db, h.ws.id, { channel: 'sms', address: '+15559990001', reason: 'stop' });
    const o = await h.order(c.id, { total: 10 });
    await h.result(await h.start(j, c.id, o.id));
    expect(await h.messages(c.id)).toEqual([
      expect.objectContaining({ status: 'skipped', skip_reason: 'suppressed_stop' }),
    ]);
  });

  it('an exit condition ends a sleeping run; cancel ends a waiting run with its reason', async () => {
    const j = await h.publish(template('review_request').graph);
    const a = await h.customer({});
    const oa = await h.order(a.id, { total: 10 });
    const wa = await h.start(j, a.id, oa.id, 'order.delivered');
    await h.waitRun(wa, (r) => r.currentStep === 'week' && r.status === 'waiting');
    await h.event(wa, 'order.refunded', 'some-other-order');
    await h.event(wa, 'order.refunded', oa.id);
    expect(await h.result(wa)).toMatchObject({ status: 'exited', reason: 'exit_condition' });
    const run = await h.waitRun(wa, () => true);
    expect(run).toMatchObject({ status: 'exited', endReason: 'exit_condition', currentStep: 'week' });
    expect((await h.steps(run.id)).find((s) => s.step_id === 'week')).toMatchObject({
      outcome: 'interrupted',
    });

    const b = await h.customer({});
    const ob = await h.order(b.id, { total: 10 });
    const wb = await h.start(j, b.id, ob.id, 'order.delivered');
    await h.waitRun(wb, (r) => r.currentStep === 'week');
    await h.client.workflow.getHandle(wb).signal('cancel', { reason: 'unsubscribed' });
    expect(await h.result(wb)).toMatchObject({ status: 'cancelled', reason: 'unsubscribed' });
    expect(await h.messages(b.id)).toEqual([]);
  });

  it('a paused journey holds runs before their next step until resumed; archiving ends them', async () => {
    const j = await h.publish(template('review_request').graph);
    const a = await h.customer({});
    const oa = await h.order(a.id, { total: 10 });
    const wa = await h.start(j, a.id, oa.id, 'order.delivered');
    await h.waitRun(wa, (r) => r.currentStep === 'week');
    const handle = h.client.workflow.getHandle(wa);
    await handle.signal('journeyStatus', { status: 'paused' });
    await h.sleep(8 * DAY);
    const held = await h.waitRun(wa, (r) => r.currentStep === 'ask' && r.waitingFor === null);
    expect(held.status).toBe('waiting');
    expect(await h.messages(a.id)).toEqual([]);
    await handle.signal('journeyStatus', { status: 'live' });
    await h.waitRun(wa, (r) => r.currentStep === 'wait_review');
    expect(countSent(await h.messages(a.id))).toEqual({ email: 1, sms: 0 });
    await handle.signal('journeyStatus', { status: 'archived' });
    expect(await h.result(wa)).toMatchObject({ status: 'cancelled', reason: 'archived' });
  });

  it('continues as new on a long loop, carrying visit counts (loop guard) and goal state', async () => {
    const j = await h.publish(template('rewards_welcome').graph);
    const c = await h.customer({});
    const id = await h.start(j, c.id, null, 'rewards.joined');
    const result = await h.result(id);
    // Welcome + 24 monthly reminders, then the 25th visit of the delay trips the loop guard.
    expect(result).toMatchObject({ status: 'exited', reason: 'iteration_limit' });
    const msgs = await h.messages(c.id);
    expect(countSent(msgs)).toEqual({ email: 25, sms: 0 });
    expect(new Set(msgs.map((m) => m.idempotency_key)).size).toBe(25);
    // History bound 60 events: the chain must have continued as new at least once.
    // Without it the single history would hold several hundred events.
    const latest = await h.client.workflow.getHandle(id).describe();
    expect(latest.historyLength).toBeLessThan(100);
  });
});

function template(id: string): JourneyTemplate {
  const t = templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}

async function externalIdOf(h: Harness, customerId: string): Promise<string> {
  const r = await h.db.pool.query('select external_id from customers where id = $1', [customerId]);
  return r.rows[0].external_id as string;
}

async function sleepUntil(h: Harness, id: string, stepId: string) {
  for (let i = 0; i < 10; i++) {
    const run = await h.waitRun(id, () => true);
    if (run.currentStep === stepId && run.status === 'waiting') return;
    await h.sleep(6 * 3_600_000);
  }
  throw new Error(`never reached ${stepId}`);
}
