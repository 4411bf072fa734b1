import { getLiveVersion } from '@hourglass/db';
import { graphBuilder, type JourneyTemplate, templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSent, createHarness, DAY, type Harness } from './harness';

// The seeds' flows on the time-skipping server, with real activities and a real PostgreSQL.

let h: Harness;
const template = (id: string): JourneyTemplate => {
  const t = templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};
const reviewRequest = template('review_request');
const replenishment = template('replenishment');
const thankYou = template('thank_you');
beforeAll(async () => {
  h = await createHarness('seed_flows', { timeSkipping: true });
});
afterAll(async () => {
  await h?.close();
});

const orderFlow = graphBuilder()
  .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
  .node('confirm', 'send_email', {
    subject: 'Order {{ order.number }} confirmed',
    body: 'Thanks {{ customer.firstName }}',
    transactional: true,
  })
  .node('wait_shipped', 'wait_for_event', {
    eventType: 'order.fulfilled',
    timeoutAmount: 14,
    timeoutUnit: 'days',
  })
  .node('shipped_sms', 'send_sms', {
    text: 'Order {{ order.number }} is on its way: {{ event.properties.trackingUrl }}',
    transactional: true,
  })
  .node('wait_delivered', 'wait_for_event', {
    eventType: 'order.delivered',
    timeoutAmount: 14,
    timeoutUnit: 'days',
  })
  .node('thanks', 'send_email', { subject: 'Enjoy your {{ order.items[0].title }}', body: 'Thank you!' })
  .node('done', 'exit')
  .node('lost', 'exit', { label: 'Not shipped' })
  .edge('trigger', 'confirm')
  .edge('confirm', 'wait_shipped')
  .edge('wait_shipped', 'shipped_sms', 'happened')
  .edge('wait_shipped', 'lost', 'timed_out')
  .edge('shipped_sms', 'wait_delivered')
  .edge('wait_delivered', 'thanks', 'happened')
  .edge('wait_delivered', 'done', 'timed_out')
  .edge('thanks', 'done')
  .build();

describe('seed flows (time-skipping)', () => {
  it('1. confirmation → shipped SMS → delivered → thank-you; a silent order times out after 14 days', async () => {
    const j = await h.publish(orderFlow);
    const a = await h.customer({});
    const oa = await h.order(a.id, { total: 40, title: 'Kettle' });
    const wa = await h.start(j, a.id, oa.id);
    await h.waitRun(wa, (r) => r.currentStep === 'wait_shipped' && r.status === 'waiting');
    await h.event(wa, 'order.fulfilled', oa.id, { trackingUrl: 'https://t.example/1' });
    const parked = await h.waitRun(wa, (r) => r.currentStep === 'wait_delivered');
    expect(parked.waitingFor).toMatchObject({ kind: 'await', eventType: 'order.delivered' });
    await h.event(wa, 'order.delivered', oa.id);
    expect(await h.result(wa)).toMatchObject({ status: 'completed', reason: 'exit_node' });
    const msgs = await h.messages(a.id);
    expect(countSent(msgs)).toEqual({ email: 2, sms: 1 });
    expect(msgs.map((m) => m.subject ?? m.body_text)).toEqual([
      `Order ${oa.externalId} confirmed`,
      // Links in texts go through the click-tracking redirect; the message keeps the original.
      expect.stringMatching(new RegExp(`^Order ${oa.externalId} is on its way: http\\S+/r/[\\w-]{39}$`)),
      'Enjoy your Kettle',
    ]);
    const steps = await h.steps(parked.id);
    expect(steps.map((s) => [s.step_id, s.outcome])).toEqual([
      ['confirm', 'ok'],
      ['wait_shipped', 'happened'],
      ['shipped_sms', 'ok'],
      ['wait_delivered', 'happened'],
      ['thanks', 'ok'],
      ['done', 'exit_node'],
    ]);
    expect(steps.every((s) => s.finished_at !== null)).toBe(true);

    const b = await h.customer({});
    const ob = await h.order(b.id, { total: 40 });
    const wb = await h.start(j, b.id, ob.id);
    expect(await h.result(wb)).toMatchObject({ status: 'completed', label: 'Not shipped' });
    expect(countSent(await h.messages(b.id))).toEqual({ email: 1, sms: 0 });
  });

  it('2. review request 7 days after delivery; SMS nudge only to those who did not review', async () => {
    const j = await h.publish(reviewRequest.graph);
    const reviewer = await h.customer({});
    const silent = await h.customer({});
    const o1 = await h.order(reviewer.id, { total: 30 });
    const o2 = await h.order(silent.id, { total: 30 });
    const w1 = await h.start(j, reviewer.id, o1.id, 'order.delivered');
    const w2 = await h.start(j, silent.id, o2.id, 'order.delivered');
    await h.waitRun(w1, (r) => r.currentStep === 'week');
    await h.waitRun(w2, (r) => r.currentStep === 'week');
    const t0 = await h.now();
    // Let the week pass; the review-request email goes out and both runs wait for a review.
    await sleepUntilParked(h, [w1, w2], 'wait_review');
    expect((await h.now()) - t0).toBeGreaterThanOrEqual(7 * DAY);
    await h.event(w1, 'review.submitted', o1.id, { rating: 5 });
    expect(await h.result(w1)).toMatchObject({ reason: 'exit_node', label: 'Reviewed' });
    expect(await h.result(w2)).toMatchObject({ reason: 'exit_node', label: 'Nudged' });
    expect(countSent(await h.messages(reviewer.id))).toEqual({ email: 1, sms: 0 });
    expect(countSent(await h.messages(silent.id))).toEqual({ email: 1, sms: 1 });
  });

  it('3. replenishment: email day 20, SMS day 23 unless reordered; a reorder converts and ends the run', async () => {
    const j = await h.publish(replenishment.graph);
    const loyal = await h.customer({ tz: 'Europe/Berlin' });
    const lapsed = await h.customer({ tz: 'America/Chicago' });
    const o1 = await h.order(loyal.id, { total: 25 });
    const o2 = await h.order(lapsed.id, { total: 25 });
    const w1 = await h.start(j, loyal.id, o1.id);
    const w2 = await h.start(j, lapsed.id, o2.id);
    await sleepUntilParked(h, [w1, w2], 'day23');
    const reorder = await h.order(loyal.id, { total: 52.5 });
    await h.event(w1, 'order.placed', reorder.id);
    expect(await h.result(w1)).toMatchObject({
      status: 'completed',
      reason: 'goal_reached',
      converted: true,
    });
    expect(await h.result(w2)).toMatchObject({ status: 'completed', reason: 'exit_node' });
    expect(countSent(await h.messages(loyal.id))).toEqual({ email: 1, sms: 0 });
    const lapsedMsgs = await h.messages(lapsed.id);
    expect(countSent(lapsedMsgs)).toEqual({ email: 1, sms: 1 });
    const run = await h.waitRun(w1, () => true);
    expect(run).toMatchObject({ status: 'completed', endReason: 'goal_reached', revenue: 52.5 });
    expect(run.convertedAt).not.toBeNull();
    // Day 20 at 10:00 in the customer's zone (plus at most the configured one-minute jitter), in
    // workflow time: when the email's step ended (the message ledger is stamped by the database's
    // own clock, which time skipping does not move).
    const email = lapsedMsgs.find((m) => m.channel === 'email')!;
    const lapsedRun = await h.waitRun(w2, () => true);
    const emailStep = (await h.steps(lapsedRun.id)).find(
      (s) => `${w2}:${s.step_id}` === email.idempotency_key,
    )!;
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Chicago',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).format(emailStep.finished_at as Date);
    expect(local).toMatch(/^10:0[01]$/);
  });

  it('4. branch: first order over $100 vs loyal AOV over $300 vs everyone else, with recorded reasons', async () => {
    const j = await h.publish(thankYou.graph);
    const first = await h.customer({});
    const loyal = await h.customer({});
    const other = await h.customer({});
    const of = await h.order(first.id, { total: 150 });
    for (const total of [350, 400]) await h.order(loyal.id, { total });
    const ol = await h.order(loyal.id, { total: 420 });
    await h.order(other.id, { total: 20 });
    const oo = await h.order(other.id, { total: 30 });
    const runs = [
      [first, of, 'first_big', 'Welcome to the family, Ada'],
      [loyal, ol, 'loyal', 'Thank you for being one of our best customers'],
      [other, oo, 'else', 'Thank you!'],
    ] as const;
    const ids = await Promise.all(runs.map(([c, o]) => h.start(j, c.id, o.id)));
    for (const [i, [c, , port, subject]] of runs.entries()) {
      await h.result(ids[i]!);
      const msgs = await h.messages(c.id);
      expect(countSent(msgs)).toEqual({ email: 1, sms: 0 });
      expect(msgs[0]!.subject).toContain(subject);
      const run = await h.waitRun(ids[i]!, () => true);
      const who = (await h.steps(run.id)).find((s) => s.step_id === 'who') as {
        port: string;
        reasons: unknown[];
      };
      expect(who.port).toBe(port);
      expect(who.reasons.length).toBeGreaterThan(0);
    }
    const loyalRun = await h.waitRun(ids[1]!, () => true);
    const reasons = (await h.steps(loyalRun.id)).find((s) => s.step_id === 'who')!.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'customer.stats.ordersCount',
          actual: 3,
          expected: 1,
          passed: false,
        }),
        expect.objectContaining({
          field: 'customer.stats.aov',
          actual: 390,
          expected: 300,
          passed: true,
          case: 'loyal',
        }),
      ]),
    );
  });

  it('7. publishing v2 while v1 runs are parked: parked runs finish on v1, new runs use v2', async () => {
    const graph = (tag: string) =>
      graphBuilder()
        .node('trigger', 'trigger', {})
        .node('hello', 'send_email', { subject: `${tag} hello`, body: 'x', transactional: true })
        .node('wait', 'wait_for_event', {
          eventType: 'order.fulfilled',
          timeoutAmount: 2,
          timeoutUnit: 'days',
        })
        .node('bye', 'send_email', { subject: `${tag} bye`, body: 'x', transactional: true })
        .edge('trigger', 'hello')
        .edge('hello', 'wait')
        .edge('wait', 'bye', 'happened')
        .edge('wait', 'bye', 'timed_out')
        .build();
    const v1 = await h.publish(graph('v1'));
    const a = await h.customer({});
    const oa = await h.order(a.id, { total: 10 });
    const wa = await h.start(v1, a.id, oa.id);
    await h.waitRun(wa, (r) => r.currentStep === 'wait');
    const v2 = await h.publish(graph('v2'), v1.journeyId);
    const live = await getLiveVersion(h.db.db, h.ws.id, v1.journeyId);
    expect(live?.version).toBe(2);
    const b = await h.customer({});
    const ob = await h.order(b.id, { total: 10 });
    const wb = await h.start({ ...v2, version: live!.version }, b.id, ob.id);
    // Let wb park before time skips: a skip while its first task runs times the task out.
    await h.waitRun(wb, (r) => r.currentStep === 'wait' && r.status === 'waiting');
    await Promise.all([h.result(wa), h.result(wb)]);
    expect((await h.messages(a.id)).map((m) => m.subject)).toEqual(['v1 hello', 'v1 bye']);
    expect((await h.messages(b.id)).map((m) => m.subject)).toEqual(['v2 hello', 'v2 bye']);
    expect((await h.waitRun(wa, () => true)).version).toBe(1);
    expect((await h.waitRun(wb, () => true)).version).toBe(2);
  });
});

/** Advances server time in day steps until every run is parked on `stepId`. */
async function sleepUntilParked(h: Harness, ids: string[], stepId: string) {
  for (let i = 0; i < 60; i++) {
    const runs = await Promise.all(ids.map((id) => h.waitRun(id, () => true)));
    if (runs.every((r) => r.currentStep === stepId && r.status === 'waiting')) return;
    await h.sleep(DAY);
  }
  throw new Error(`runs never parked on ${stepId}`);
}
