import { randomUUID } from 'node:crypto';
import { insertEventOnce, listRuns } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { routeEvent } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSent, createHarness, type Harness } from './harness';

// Re-entry: with `every_time`, each entry is its own run (own journey_runs row, own message keys);
// a redelivery of the same event never starts a second one. Routed through the API's router.

let h: Harness;
beforeAll(async () => {
  h = await createHarness('reentry', { timeSkipping: false, engine: { jitterMs: 0 } });
});
afterAll(async () => {
  await h?.close();
});

// Each test triggers on its own event type, so the other test's live journey does not match.
const thanks = (entry: 'every_time' | 'once_per_customer', eventType: string) =>
  graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType, filter: null },
      scope: 'customer',
      entry: { rule: entry },
    })
    .node('hello', 'send_email', {
      subject: 'Thanks for order {{ order.number }}',
      body: 'x',
      transactional: true,
    })
    .node('done', 'exit')
    .edge('trigger', 'hello')
    .edge('hello', 'done')
    .build();

async function placed(type: string, customerId: string, orderId: string, id = `evt_${randomUUID()}`) {
  await insertEventOnce(h.db.db, h.ws.id, { id, type, customerId, orderId, occurredAt: new Date() });
  return id;
}

const temporal = () => ({ client: h.client, taskQueue: h.taskQueue });
const ended = (r: { status: string }) => r.status === 'completed';

describe('journey re-entry', () => {
  it('every_time: two entries are two runs with their own messages; the same event twice is one run', async () => {
    const j = await h.publish(thanks('every_time', 'order.placed'));
    const c = await h.customer({});
    const o1 = await h.order(c.id, { total: 10 });
    const o2 = await h.order(c.id, { total: 20 });

    const e1 = await placed('order.placed', c.id, o1.id);
    const first = await routeEvent(h.db.db, temporal(), h.ws.id, e1);
    expect(first.started).toHaveLength(1);
    await h.waitRun(first.started[0]!, ended);

    // The first run has ended: a second entry starts its own run (no longer reusing the first id).
    const e2 = await placed('order.placed', c.id, o2.id);
    const second = await routeEvent(h.db.db, temporal(), h.ws.id, e2);
    expect(second.started).toHaveLength(1);
    expect(second.started[0]).not.toBe(first.started[0]);
    await h.waitRun(second.started[0]!, ended);

    // A redelivery of the first event (router retry) after its run ended starts nothing.
    const again = await routeEvent(h.db.db, temporal(), h.ws.id, e1);
    expect(again.started).toEqual([]);
    expect(again.skipped).toEqual([{ journeyId: j.journeyId, reason: 'already_entered' }]);

    const runs = await listRuns(h.db.db, h.ws.id, { journeyId: j.journeyId });
    expect(runs.map((r) => r.triggerEventId).sort()).toEqual([e1, e2].sort());
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    const msgs = await h.messages(c.id);
    expect(countSent(msgs)).toEqual({ email: 2, sms: 0 });
    expect(new Set(msgs.map((m) => m.run_id))).toEqual(new Set(runs.map((r) => r.id)));
    expect(new Set(msgs.map((m) => m.idempotency_key)).size).toBe(2);
  });

  it('once_per_customer: a second entry is rejected on the stable id', async () => {
    const j = await h.publish(thanks('once_per_customer', 'order.paid'));
    const c = await h.customer({});
    const o1 = await h.order(c.id, { total: 10 });
    const o2 = await h.order(c.id, { total: 20 });
    const first = await routeEvent(h.db.db, temporal(), h.ws.id, await placed('order.paid', c.id, o1.id));
    expect(first.started).toHaveLength(1);
    expect(first.started[0]).not.toContain(':entry:');
    await h.waitRun(first.started[0]!, ended);
    const second = await routeEvent(h.db.db, temporal(), h.ws.id, await placed('order.paid', c.id, o2.id));
    expect(second.skipped).toEqual([{ journeyId: j.journeyId, reason: 'already_entered' }]);
    expect(await listRuns(h.db.db, h.ws.id, { journeyId: j.journeyId })).toHaveLength(1);
    expect(countSent(await h.messages(c.id))).toEqual({ email: 1, sms: 0 });
  });
});
