import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, engineHarness } from './support-engine';

// A conversion is credited to the last message of its run the customer clicked, else opened, else
// received; per-message engagement counts reconcile with the message and event records.

let h: EngineHarness;
let journey: contract.Journey;
const tag = randomBytes(3).toString('hex');
const who = ['clicker', 'opener', 'reader'] as const;
type Who = (typeof who)[number];
const runs = {} as Record<Who, { runId: string; first: string; second: string }>;

const customer = (w: Who) => ({
  externalId: `cus_${w}_${tag}`,
  email: `${w}-${tag}@example.com`,
  phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
  consent: { email: 'subscribed', sms: 'subscribed' },
});
let seq = 0;
const event = (w: Who, type: string, extra: Record<string, unknown> = {}) => ({
  id: `evt_${tag}_${++seq}`,
  type,
  occurredAt: new Date().toISOString(),
  customer: customer(w),
  ...extra,
});
const about = (w: Who, step: 'first' | 'second') => ({
  messageId: runs[w][step],
  runId: runs[w].runId,
  stepId: step,
});

beforeAll(async () => {
  h = await engineHarness('api_attribution');
  const graph = graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.delivered', filter: null },
      goal: { eventType: 'order.placed', filter: null, windowHours: 168, exitOnReach: false },
    })
    .node('first', 'send_email', { subject: 'Enjoying it?', body: 'Tell us', transactional: true })
    .node('second', 'send_sms', { text: 'How was it?', transactional: true })
    .node('hold', 'wait_for_event', { eventType: 'never.happens', sameOrder: false })
    .node('done', 'exit')
    .edge('trigger', 'first')
    .edge('first', 'second')
    .edge('second', 'hold')
    .edge('hold', 'done', 'happened')
    .edge('hold', 'done', 'timed_out')
    .build();
  journey = await h.publish('Attribution journey', graph);
  for (const w of who) {
    await h.ingest(event(w, 'order.delivered', { order: { externalId: `ord_${w}_${tag}`, total: 10 } }));
    runs[w] = await h.until(async () => {
      const { rows } = await h.t.pool.query(
        `select r.id, m.step_id, m.id as message_id from journey_runs r
           join customers c on c.id = r.customer_id
           join messages m on m.run_id = r.id and m.sent_at is not null
          where r.journey_id = $1 and c.external_id = $2`,
        [journey.id, customer(w).externalId],
      );
      const first = rows.find((r) => r.step_id === 'first');
      const second = rows.find((r) => r.step_id === 'second');
      return first && second ? { runId: first.id, first: first.message_id, second: second.message_id } : null;
    });
  }
  // Engagement, as the provider webhooks, the SMS inbound webhook and the click redirect record it.
  await h.ingest(event('clicker', 'message.opened', { properties: about('clicker', 'first') }));
  await h.ingest(
    event('clicker', 'message.clicked', {
      properties: { ...about('clicker', 'first'), url: 'https://x.example' },
    }),
  );
  await h.ingest(
    event('clicker', 'sms.replied', {
      properties: { ...about('clicker', 'second'), body: 'ok', number: null },
    }),
  );
  await h.ingest(event('opener', 'message.opened', { properties: about('opener', 'first') }));
  // Then each orders again: a conversion within the goal window.
  const totals: Record<Who, number> = { clicker: 100, opener: 200, reader: 300 };
  for (const w of who)
    await h.ingest(event(w, 'order.placed', { order: { externalId: `ord2_${w}_${tag}`, total: totals[w] } }));
  await h.until(async () => {
    const { rows } = await h.t.pool.query(
      'select count(*)::int as n from journey_runs where journey_id = $1 and converted_at is not null',
      [journey.id],
    );
    return rows[0].n === 3;
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('attribution', () => {
  it('credits the last clicked message, else the last opened, else the last received, and reconciles', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await h.get<contract.JourneyAnalytics>(
      `/v1/journeys/${journey.id}/analytics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(res.status).toBe(200);
    const node = (id: string) => res.body.nodes.find((n) => n.nodeId === id)!;
    expect(res.body.conversions).toBe(3);
    expect(res.body.revenue).toBe(600);
    // The clicker's and the opener's conversions go to the email they engaged with, although the SMS came
    // later; the reader engaged with nothing, so the last message received (the SMS) gets theirs.
    expect(node('first')).toMatchObject({ conversions: 2, revenue: 300 });
    expect(node('second')).toMatchObject({ conversions: 1, revenue: 300 });
    const credited = node('first').conversions + node('second').conversions;
    expect(credited).toBe(res.body.conversions);

    // Per-message counts are the messages and the events about them.
    const msgs = (await h.t.pool.query('select * from messages where journey_id = $1', [journey.id])).rows;
    const events = (
      await h.t.pool.query(
        "select type, properties from events where type like 'message.%' or type = 'sms.replied'",
      )
    ).rows as Array<{ type: string; properties: { messageId?: string } }>;
    const about = (id: string, types: string[]) =>
      events.some((e) => types.includes(e.type) && e.properties.messageId === id);
    for (const step of ['first', 'second']) {
      const ms = msgs.filter((m) => m.step_id === step);
      const n = node(step);
      expect(n.sent, step).toBe(ms.filter((m) => m.sent_at !== null).length);
      expect(n.opened, step).toBe(
        ms.filter((m) => about(m.id, ['message.opened', 'message.clicked'])).length,
      );
      expect(n.clicked, step).toBe(ms.filter((m) => about(m.id, ['message.clicked'])).length);
      expect(n.replied, step).toBe(ms.filter((m) => about(m.id, ['sms.replied'])).length);
      expect(n.unsubscribed, step).toBe(0);
    }
    expect([node('first').opened, node('first').clicked, node('second').replied]).toEqual([2, 1, 1]);
  });
});
