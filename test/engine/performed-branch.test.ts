import { createSegment, customerMatchesRule, insertEventOnce, updateSegment } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSent, createHarness, DAY, type Harness } from './harness';

// A branch on "performed order.placed at least 2 times within 365 days", and on a segment whose rule
// counts events, on the time-skipping server with real activities and PostgreSQL.

let h: Harness;
beforeAll(async () => {
  h = await createHarness('performed_branch', { timeSkipping: true });
});
afterAll(async () => {
  await h?.close();
});

type Case = { id: string; label: string; when: Record<string, unknown> };

/** trigger (order placed) → branch on `cases` → one email per port (subject and body `mails[port]`) → exit. */
function branchToMails(cases: Case[], mails: Record<string, string>) {
  let g = graphBuilder()
    .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
    .node('who', 'branch', { cases })
    .node('done', 'exit')
    .edge('trigger', 'who');
  for (const [port, subject] of Object.entries(mails))
    g = g
      .node(`${port}_mail`, 'send_email', { subject, body: subject })
      .edge('who', `${port}_mail`, port)
      .edge(`${port}_mail`, 'done');
  return g.build();
}

type Step = { step_id: string; port: string; reasons: { case: string; text: string; passed: boolean }[] };

describe('branch on performed events', () => {
  it('sends the loyal message to repeat buyers and the other one to single-order customers', async () => {
    const reviewers = await createSegment(h.db.db, h.ws.id, {
      name: 'Recent reviewers',
      rule: { performed: { eventType: 'review.submitted', atLeast: 1, withinDays: 30 } },
    });
    const graph = branchToMails(
      [
        {
          id: 'loyal',
          label: 'Repeat buyer',
          when: {
            kind: 'conditions',
            rule: { performed: { eventType: 'order.placed', atLeast: 2, withinDays: 365 } },
          },
        },
        { id: 'reviewer', label: 'Reviewer', when: { kind: 'segment', segmentId: reviewers.id } },
      ],
      { loyal: 'Thanks for coming back', reviewer: 'Thanks for your review', else: 'Thanks for your order' },
    );
    const j = await h.publish(graph);

    let n = 0;
    const event = (customerId: string, type: string, daysAgo: number) =>
      insertEventOnce(h.db.db, h.ws.id, {
        id: `perf-${++n}`,
        type,
        customerId,
        occurredAt: new Date(Date.now() - daysAgo * DAY),
      });
    const loyal = await h.customer({});
    const single = await h.customer({});
    const reviewer = await h.customer({});
    const lapsed = await h.customer({});
    await event(loyal.id, 'order.placed', 200);
    await event(loyal.id, 'order.placed', 0);
    await event(single.id, 'order.placed', 0);
    await event(reviewer.id, 'order.placed', 0);
    await event(reviewer.id, 'review.submitted', 3);
    // Two orders, but one is older than the window: not a repeat buyer within 365 days.
    await event(lapsed.id, 'order.placed', 400);
    await event(lapsed.id, 'order.placed', 0);

    const cases = [
      [loyal, 'loyal', 'Thanks for coming back'],
      [single, 'else', 'Thanks for your order'],
      [reviewer, 'reviewer', 'Thanks for your review'],
      [lapsed, 'else', 'Thanks for your order'],
    ] as const;
    const orders = await Promise.all(cases.map(([c]) => h.order(c.id, { total: 50 })));
    const ids = await Promise.all(cases.map(([c], i) => h.start(j, c.id, orders[i]!.id)));
    const steps: Step[] = [];
    for (const [i, [c, port, subject]] of cases.entries()) {
      expect(await h.result(ids[i]!)).toMatchObject({ status: 'completed', reason: 'exit_node' });
      const msgs = await h.messages(c.id);
      expect(countSent(msgs)).toEqual({ email: 1, sms: 0 });
      expect(msgs[0]!.subject).toBe(subject);
      const run = await h.waitRun(ids[i]!, () => true);
      const who = (await h.steps(run.id)).find((s) => s.step_id === 'who') as Step;
      expect(who.port).toBe(port);
      steps.push(who);
    }
    const texts = (s: Step) => s.reasons.map((r) => `${r.case}: ${r.text}`);
    expect(texts(steps[0]!)).toEqual([
      'loyal: performed order.placed 2 times in the last 365 days (at least 2)',
    ]);
    expect(texts(steps[1]!)).toEqual([
      'loyal: performed order.placed 1 time in the last 365 days (at least 2) (no)',
      `reviewer: not in segment ${reviewers.id}`,
    ]);
    expect(texts(steps[2]!)).toEqual([
      'loyal: performed order.placed 1 time in the last 365 days (at least 2) (no)',
      `reviewer: in segment ${reviewers.id}`,
    ]);
    expect(steps[3]!.reasons[0]).toMatchObject({ case: 'loyal', passed: false, actual: 1, expected: 2 });
  });

  it('resolves a segment inside a segment as SQL does, and a segment cycle matches nobody', async () => {
    const rule = (eventType: string) => ({ performed: { eventType, atLeast: 1, withinDays: 30 } });
    const reviewers = await createSegment(h.db.db, h.ws.id, {
      name: 'Reviewers',
      rule: rule('review.submitted'),
    });
    const vip = await createSegment(h.db.db, h.ws.id, {
      name: 'Reviewers who came back',
      rule: { all: [{ segment: reviewers.id }, rule('order.returned_to_store')] },
    });
    const loopA = await createSegment(h.db.db, h.ws.id, { name: 'Loop A', rule: rule('review.submitted') });
    const loopB = await createSegment(h.db.db, h.ws.id, { name: 'Loop B', rule: { segment: loopA.id } });
    await updateSegment(h.db.db, h.ws.id, loopA.id, { rule: { any: [{ segment: loopB.id }] } });
    const graph = branchToMails(
      [
        { id: 'loop', label: 'Loop', when: { kind: 'segment', segmentId: loopA.id } },
        { id: 'vip', label: 'VIP', when: { kind: 'segment', segmentId: vip.id } },
      ],
      { vip: 'VIP', loop: 'Loop', else: 'Other' },
    );
    const j = await h.publish(graph);
    let n = 0;
    const event = (customerId: string, type: string) =>
      insertEventOnce(h.db.db, h.ws.id, { id: `nest-${++n}`, type, customerId, occurredAt: new Date() });
    const both = await h.customer({});
    const reviewerOnly = await h.customer({});
    await event(both.id, 'review.submitted');
    await event(both.id, 'order.returned_to_store');
    await event(reviewerOnly.id, 'review.submitted');

    for (const [c, port, subject] of [
      [both, 'vip', 'VIP'],
      [reviewerOnly, 'else', 'Other'],
    ] as const) {
      // The SQL evaluation (entry rules, previews) and the branch agree.
      expect(await customerMatchesRule(h.db.db, h.ws.id, c.id, { segment: vip.id })).toBe(port === 'vip');
      expect(await customerMatchesRule(h.db.db, h.ws.id, c.id, { segment: loopA.id })).toBe(false);
      const order = await h.order(c.id, { total: 20 });
      const id = await h.start(j, c.id, order.id);
      expect(await h.result(id)).toMatchObject({ status: 'completed' });
      const msgs = await h.messages(c.id);
      expect(msgs.map((m) => m.subject)).toEqual([subject]);
      const run = await h.waitRun(id, () => true);
      const who = (await h.steps(run.id)).find((s) => s.step_id === 'who') as Step;
      expect(who.port).toBe(port);
    }
  });
});
