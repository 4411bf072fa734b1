import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineApi, engineApi } from './api';
import { createHarness, type Harness, HOUR, type MessageRow } from './harness';

// The "Order confirmation & delivery updates" template against real carrier data: stages skipped,
// late, out of order or all at once. Every subset of shipped / out for delivery / delivered, in every
// order, on the time-skipping server with real activities: the customer gets the confirmation, then a
// message for each stage that moves the order forward, never one behind a stage already told.

type Stage = 'shipped' | 'out_for_delivery' | 'delivered';
const EVENT: Record<Stage, string> = {
  shipped: 'order.fulfilled',
  out_for_delivery: 'order.out_for_delivery',
  delivered: 'order.delivered',
};
const RANK: Record<Stage, number> = { shipped: 1, out_for_delivery: 2, delivered: 3 };
const MESSAGE: Record<Stage, string> = {
  shipped: 'on its way (email)',
  out_for_delivery: 'out for delivery (SMS)',
  delivered: 'delivered (email)',
};
/** Where the run waits once the order has reached a stage. */
const PARKED: Record<Stage, string> = {
  shipped: 'wait_ofd',
  out_for_delivery: 'wait_delivered',
  delivered: '',
};
/** The exit each furthest stage ends at (the waits' timeouts). */
const EXIT = [
  'No shipping news in 14 days',
  'No news 10 days after shipping',
  'Not delivered 7 days after out for delivery',
  'Delivered',
];
const TRACKING = 'https://carrier.example/t/1Z999';

/** Every ordering of every subset of the three stages (16, the empty one included). */
function arrivals(): Stage[][] {
  const out: Stage[][] = [];
  const grow = (seq: Stage[]) => {
    out.push(seq);
    for (const s of Object.keys(EVENT) as Stage[]) if (!seq.includes(s)) grow([...seq, s]);
  };
  grow([]);
  return out;
}

/** What a customer should receive: a message per stage that moves the order past every earlier one. */
function expected(seq: Stage[]): { messages: string[]; exit: string } {
  const messages = ['confirmation (email)'];
  let furthest = 0;
  for (const stage of seq) {
    if (RANK[stage] <= furthest) continue;
    furthest = RANK[stage];
    messages.push(MESSAGE[stage]);
    if (stage === 'delivered') break;
  }
  return { messages, exit: EXIT[furthest]! };
}

const described = (m: MessageRow) => {
  if (m.channel === 'sms') return m.body_text?.includes('out for delivery') ? MESSAGE.out_for_delivery : '?';
  if (m.subject?.endsWith('confirmed')) return 'confirmation (email)';
  if (m.subject === 'Your order is on its way') return MESSAGE.shipped;
  if (m.subject?.startsWith('Delivered:')) return MESSAGE.delivered;
  return `? ${m.subject}`;
};

const template = templates.find((t) => t.id === 'order_updates')!;
let h: Harness;
let api: EngineApi;
let journey: Awaited<ReturnType<Harness['publish']>>;
beforeAll(async () => {
  h = await createHarness('order_updates', { timeSkipping: true });
  api = await engineApi(h, ['read']);
  journey = await h.publish(template.graph);
});
afterAll(async () => {
  await api?.app.close();
  await h?.close();
});

/** Starts a run for a new customer and order, parked at the first wait. */
async function startRun() {
  const customer = await h.customer({});
  const order = await h.order(customer.id, { total: 48, title: 'Trail shoes' });
  const workflowId = await h.start(journey, customer.id, order.id);
  await h.waitRun(workflowId, (r) => r.currentStep === 'wait_news' && r.status === 'waiting');
  return { customer, order, workflowId };
}

const send = (workflowId: string, orderId: string, stage: Stage) =>
  h.event(workflowId, EVENT[stage], orderId, stage === 'shipped' ? { trackingUrl: TRACKING } : {});

describe('order updates template with real carrier data', () => {
  for (const seq of arrivals()) {
    const want = expected(seq);
    it(`[${seq.join(' → ') || 'nothing'}] sends ${want.messages.join(', ')}`, async () => {
      const { customer, order, workflowId } = await startRun();
      let furthest = 0;
      for (const stage of seq) {
        await send(workflowId, order.id, stage);
        // Each stage is handled before the next arrives (hours apart, as carriers report them).
        if (RANK[stage] <= furthest || furthest === 3) continue;
        furthest = RANK[stage];
        await h.waitRun(workflowId, (r) =>
          stage === 'delivered'
            ? r.status === 'completed'
            : r.currentStep === PARKED[stage] && r.status === 'waiting',
        );
        await h.sleep(HOUR);
      }
      expect(await h.result(workflowId)).toMatchObject({
        status: 'completed',
        reason: 'exit_node',
        label: want.exit,
      });
      const messages = await h.messages(customer.id);
      expect(messages.map(described)).toEqual(want.messages);
      expect(messages.every((m) => m.status === 'sent')).toBe(true);
      const shipped = messages.find((m) => m.subject === 'Your order is on its way');
      if (shipped) expect(shipped.body_text).toContain(TRACKING);
      if (seq.join() === 'shipped,out_for_delivery,delivered') {
        const run = await h.waitRun(workflowId, () => true);
        const titles = (await api.timeline(run.id)).entries.map((e) => e.title);
        expect(titles).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^Waited for order.delivered, order.out_for_delivery or order.fulfilled — order.fulfilled came after/,
            ),
          ]),
        );
      }
    });
  }

  it('never goes back a stage when the carrier reports several at once', async () => {
    for (const seq of [
      ['shipped', 'out_for_delivery', 'delivered'],
      ['delivered', 'shipped', 'out_for_delivery'],
      ['out_for_delivery', 'delivered'],
      ['shipped', 'delivered'],
    ] as Stage[][]) {
      const { customer, order, workflowId } = await startRun();
      await Promise.all(seq.map((stage) => send(workflowId, order.id, stage)));
      expect(await h.result(workflowId)).toMatchObject({ status: 'completed', label: 'Delivered' });
      const got = (await h.messages(customer.id)).map(described);
      // However the signals were batched: confirmation first, delivered last, stages only forward.
      expect(got[0], seq.join()).toBe('confirmation (email)');
      expect(got.at(-1), seq.join()).toBe(MESSAGE.delivered);
      const ranks = got
        .slice(1)
        .map((m) => RANK[(Object.keys(MESSAGE) as Stage[]).find((s) => MESSAGE[s] === m)!]);
      expect(ranks, seq.join()).toEqual([...new Set(ranks)].sort());
    }
  });
});
