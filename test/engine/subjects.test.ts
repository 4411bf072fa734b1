import { randomUUID } from 'node:crypto';
import { customerMatchesRule, insertEventOnce } from '@hourglass/db';
import type { Rule } from '@hourglass/journey';
import { graphBuilder } from '@hourglass/nodes';
import { routeEvent } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

// One view of the customer and the order for trigger filters (routing), branches (the worker), segment
// SQL and templates: the same fields read the same everywhere. Routing once lacked `order.number`, and
// branches `customer.timezone` and `customer.createdAt`, which segment SQL had.

let h: Harness;
beforeAll(async () => {
  h = await createHarness('subjects', { timeSkipping: false, engine: { jitterMs: 0 } });
});
afterAll(async () => {
  await h?.close();
});

const inParis: Rule = {
  all: [
    { field: 'customer.timezone', op: 'eq', value: 'Europe/Paris' },
    { field: 'customer.createdAt', op: 'exists' },
  ],
};

const graph = graphBuilder()
  .node('trigger', 'trigger', {
    start: {
      kind: 'event',
      eventType: 'order.shipped',
      filter: {
        all: [
          { field: 'order.number', op: 'exists' },
          { field: 'customer.timeZone', op: 'exists' },
        ],
      },
    },
    scope: 'order',
    entry: { rule: 'every_time' },
  })
  .node('where', 'branch', {
    cases: [{ id: 'paris', label: 'Paris', when: { kind: 'conditions', rule: inParis } }],
  })
  .node('paris_mail', 'send_email', {
    subject: 'Order {{ order.number }} ships to {{ customer.timezone }}',
    body: 'x',
    transactional: true,
  })
  .node('other_mail', 'send_email', { subject: 'Order {{ order.number }}', body: 'x', transactional: true })
  .node('done', 'exit')
  .edge('trigger', 'where')
  .edge('where', 'paris_mail', 'paris')
  .edge('where', 'other_mail', 'else')
  .edge('paris_mail', 'done')
  .edge('other_mail', 'done')
  .build();

describe('one subject model', () => {
  it('a trigger filter, a branch, a segment and a template read the same fields', async () => {
    await h.publish(graph);
    const temporal = { client: h.client, taskQueue: h.taskQueue };
    for (const [tz, subject] of [
      ['Europe/Paris', 'ships to Europe/Paris'],
      ['UTC', null],
    ] as const) {
      const c = await h.customer({ tz });
      const o = await h.order(c.id, { total: 10 });
      // Segment SQL and the branch agree on the customer.
      expect(await customerMatchesRule(h.db.db, h.ws.id, c.id, inParis)).toBe(tz === 'Europe/Paris');
      const id = `evt_${randomUUID()}`;
      await insertEventOnce(h.db.db, h.ws.id, {
        id,
        type: 'order.shipped',
        customerId: c.id,
        orderId: o.id,
        occurredAt: new Date(),
      });
      const routed = await routeEvent(h.db.db, temporal, h.ws.id, id);
      expect(routed.skipped).toEqual([]);
      expect(routed.started).toHaveLength(1);
      await h.waitRun(routed.started[0]!, (r) => r.status === 'completed');
      const [mail] = await h.messages(c.id);
      expect(mail?.subject).toBe(subject ? `Order ${o.externalId} ${subject}` : `Order ${o.externalId}`);
    }
  });
});
