import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineApi, engineApi } from './api';
import { createHarness, DAY, type Harness } from './harness';

// The built-in "Create discount code" node end to end: the code is made once per run step, the
// email after it renders it (and its expiry in the customer's time zone), and an order that uses
// it later counts as the journey's conversion, with its revenue.

let h: Harness;
let api: EngineApi;

beforeAll(async () => {
  h = await createHarness('engine_discounts', { timeSkipping: true });
  api = await engineApi(h, ['ingest', 'read', 'write']);
});
afterAll(async () => {
  await api?.app.close();
  await h?.close();
});

const thankYouWithCode = () =>
  graphBuilder()
    .node('trigger', 'trigger', {})
    .node('discount', 'create_discount', { kind: 'percent', value: 15, expiresInDays: 30, prefix: 'thanks-' })
    .node('mail', 'send_email', {
      subject: 'A thank-you: {{ steps.discount.percentOff }}% off',
      body: 'Use {{ steps.discount.code }} by {{ steps.discount.expiresAt | date: "%Y-%m-%d %H:%M" }}.',
    })
    .node('done', 'exit')
    .edge('trigger', 'discount')
    .edge('discount', 'mail')
    .edge('mail', 'done')
    .build();

async function externalIdOf(customerId: string): Promise<string> {
  const { rows } = await h.db.pool.query('select external_id from customers where id = $1', [customerId]);
  return rows[0].external_id as string;
}

describe('create discount code node', () => {
  it('makes one code, renders it with its expiry in the customer zone, and a later order using it converts the run', async () => {
    const j = await h.publish(thankYouWithCode());
    const c = await h.customer({ tz: 'Asia/Tokyo' });
    const o = await h.order(c.id, { total: 40 });
    const startedAt = await h.now();
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });

    const run = await h.waitRun(id, () => true);
    const { rows: codes } = await h.db.pool.query(
      'select code, kind, value, customer_id, run_id, expires_at, redeemed_at from discount_codes where run_id = $1',
      [run.id],
    );
    expect(codes).toHaveLength(1);
    const code = codes[0].code as string;
    expect(code).toMatch(/^THANKS-[2-9A-HJ-NP-Z]{8}$/);
    expect(codes[0]).toMatchObject({ kind: 'percent', value: '15.00', customer_id: c.id, redeemed_at: null });
    const expires = (codes[0].expires_at as Date).getTime();
    expect(Math.abs(expires - (startedAt + 30 * DAY))).toBeLessThan(60_000);

    // The expiry as a Tokyo clock shows it (UTC+9, no daylight saving).
    const tokyo = new Date(expires + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const [mail] = await h.messages(c.id);
    expect(mail?.subject).toBe('A thank-you: 15% off');
    expect(mail?.body_text).toContain(`Use ${code} by ${tokyo}.`);
    const step = (await h.steps(run.id)).find((s) => s.step_id === 'discount');
    expect(step).toMatchObject({
      outcome: 'ok',
      output: {
        code,
        percentOff: 15,
        amountOff: null,
        currency: null,
        expiresAt: new Date(expires).toISOString(),
      },
    });

    // A later order carrying the code (lower case, as a shopper types it) redeems it: a conversion.
    const res = await api.call('POST', '/v1/events', {
      id: `order-${randomBytes(4).toString('hex')}`,
      type: 'order.placed',
      customer: { externalId: await externalIdOf(c.id) },
      order: {
        externalId: `#repeat-${randomBytes(3).toString('hex')}`,
        total: 120,
        discountCodes: [code.toLowerCase()],
      },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const { rows: after } = await h.db.pool.query(
      'select redeemed_at, redeemed_order_id from discount_codes where code = $1',
      [code],
    );
    expect(after[0].redeemed_at).not.toBeNull();
    const converted = await h.waitRun(id, (r) => r.convertedAt !== null);
    expect(converted.revenue).toBe(120);
    const analytics = await api.call('GET', `/v1/journeys/${j.journeyId}/analytics`);
    expect(analytics.json() as contract.JourneyAnalytics).toMatchObject({
      entries: 1,
      conversions: 1,
      revenue: 120,
    });
  });

  it('gives a step visited again in a loop its own code, and never a second one on retry', async () => {
    const g = graphBuilder()
      .node('trigger', 'trigger', { maxStepVisits: 2 })
      .node('discount', 'create_discount', { value: 10 })
      .node('mail', 'send_email', { subject: '{{ steps.discount.code }}', body: 'x', transactional: true })
      .node('wait', 'delay', { mode: 'duration', amount: 7, unit: 'days' })
      .edge('trigger', 'discount')
      .edge('discount', 'mail')
      .edge('mail', 'wait')
      .edge('wait', 'discount')
      .build();
    const j = await h.publish(g);
    const c = await h.customer({});
    const id = await h.start(j, c.id, (await h.order(c.id, { total: 9 })).id);
    expect(await h.result(id)).toMatchObject({ status: 'exited', reason: 'iteration_limit' });
    const run = await h.waitRun(id, () => true);
    const { rows } = await h.db.pool.query(
      'select code from discount_codes where run_id = $1 order by created_at',
      [run.id],
    );
    const subjects = (await h.messages(c.id)).map((m) => m.subject);
    expect(rows.map((r) => r.code)).toEqual(subjects);
    expect(new Set(subjects).size).toBe(2);
  });

  it('keeps a step output across continue-as-new', async () => {
    const small = await createHarness('engine_outputs_can', {
      timeSkipping: true,
      engine: { maxHistoryEvents: 12 },
    });
    try {
      const g = graphBuilder()
        .node('trigger', 'trigger', {})
        .node('discount', 'create_discount', { value: 20 })
        .node('d1', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
        .node('d2', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
        .node('d3', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
        .node('mail', 'send_email', {
          subject: 'Still yours: {{ steps.discount.code }}',
          body: 'x',
          transactional: true,
        })
        .edge('trigger', 'discount')
        .edge('discount', 'd1')
        .edge('d1', 'd2')
        .edge('d2', 'd3')
        .edge('d3', 'mail')
        .build();
      const j = await small.publish(g);
      const c = await small.customer({});
      const id = await small.start(j, c.id, (await small.order(c.id, { total: 9 })).id);
      expect(await small.result(id)).toMatchObject({ status: 'completed' });
      // The last execution of the chain was started by continue-as-new, carrying the run's state.
      const last = await small.client.workflow.getHandle(id).fetchHistory();
      const started = last.events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.continuedExecutionRunId).toBeTruthy();
      const { rows } = await small.db.pool.query('select code from discount_codes where customer_id = $1', [
        c.id,
      ]);
      expect((await small.messages(c.id)).map((m) => m.subject)).toEqual([`Still yours: ${rows[0].code}`]);
      const continued = await small.db.pool.query(
        "select count(*)::int as n from run_steps s join journey_runs r on r.id = s.run_id where r.workflow_id = $1 and s.primitive = 'sleep'",
        [id],
      );
      expect(continued.rows[0].n).toBe(3);
    } finally {
      await small.close();
    }
  });
});
