import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../client';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph, testPlan } from '../../testing';
import { upsertCustomerFromEvent } from '../customers/customers';
import { getOrderByExternalId } from '../customers/orders';
import { type IngestInput, ingestEvent, ingestEvents } from '../ingest/ingest';
import { journeyTotals } from '../journeys/analytics';
import { createJourney, publishVersion } from '../journeys/journeys';
import { getRun, markRunConverted, upsertRun } from '../runs/runs';
import { createDiscountCode, type DiscountCodeInput, getDiscountCode } from './discounts';

// An order event carrying a code a journey made redeems it, in the ingest transaction: the code is
// spent once, by its own customer, before it expires, and its run converts with the order's revenue.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('discount_redeem');
});
afterAll(async () => {
  await t?.drop();
});

let seq = 0;
const DAY = 86_400_000;

/** A workspace, a customer known by external id, a run of a goal-less journey, and its code. */
async function setup(over: Partial<DiscountCodeInput> = {}, randomPart?: () => string) {
  const ws = await seedWorkspace(t.db);
  const externalId = `shopper-${++seq}`;
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { externalId });
  const journey = await createJourney(t.db, ws.id, { name: 'Anniversary', draftGraph: testGraph() });
  await publishVersion(t.db, ws.id, journey.id, { graph: testGraph(), plan: testPlan(), planHash: 'h' });
  const run = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${randomUUID()}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  const code = await createDiscountCode(
    t.db,
    ws.id,
    {
      idempotencyKey: `${run.workflowId}:discount:0`,
      customerId: customer.id,
      runId: run.id,
      journeyId: journey.id,
      stepId: 'discount',
      kind: 'percent',
      value: 20,
      expiresAt: new Date(Date.now() + 30 * DAY),
      prefix: 'THANKS',
      ...over,
    },
    { randomPart },
  );
  const totals = () =>
    journeyTotals(t.db, ws.id, journey.id, {
      from: new Date(Date.now() - DAY),
      to: new Date(Date.now() + DAY),
    });
  return { ws, externalId, customer, journey, run, code, totals };
}

const placed = (
  externalId: string,
  order: NonNullable<IngestInput['order']>,
  type = 'order.placed',
): IngestInput => ({
  event: { id: `evt-${++seq}`, type, occurredAt: new Date(), properties: {} },
  customer: { externalId },
  order,
});

// The pool path (pipelined, group commit), a caller's transaction and a batch run different code.
const paths: Array<[string, (ws: string, input: IngestInput) => Promise<unknown>]> = [
  ['on the pool', (ws, input) => ingestEvent(t.db, ws, input)],
  ['in a caller transaction', (ws, input) => t.db.transaction((tx: Executor) => ingestEvent(tx, ws, input))],
  ['in a batch', (ws, input) => ingestEvents(t.db, ws, [input])],
];

describe.each(paths)('an order event carrying a code (%s)', (_label, ingest) => {
  it('redeems the code and converts its run with the order revenue, once', async () => {
    const s = await setup();
    expect(await s.totals()).toMatchObject({ entries: 1, conversions: 0, revenue: 0 });
    const placedAt = new Date(Date.now() - 60_000);
    const first = placed(s.externalId, {
      externalId: `o-${seq}`,
      total: 84.5,
      placedAt,
      discountCodes: [` ${s.code.code.toLowerCase()} `, 'SOMEONE-ELSES'],
    });
    await ingest(s.ws.id, first);

    const order = await getOrderByExternalId(t.db, s.ws.id, first.order!.externalId);
    expect(order?.discountCodes).toEqual([s.code.code.toLowerCase(), 'SOMEONE-ELSES']);
    const code = await getDiscountCode(t.db, s.ws.id, s.code.code);
    expect(code?.redeemedAt?.toISOString()).toBe(placedAt.toISOString());
    expect(code?.redeemedOrderId).toBe(order?.id);
    const run = await getRun(t.db, s.ws.id, s.run.id);
    expect(run?.convertedAt?.toISOString()).toBe(placedAt.toISOString());
    expect(run?.revenue).toBe(84.5);
    expect(await s.totals()).toMatchObject({ conversions: 1, revenue: 84.5 });

    // The same event again, the same order re-sent with another total, and another order with the
    // same code: nothing counts twice.
    await ingest(s.ws.id, first);
    await ingest(s.ws.id, { ...placed(s.externalId, { ...first.order!, total: 300 }, 'order.updated') });
    await ingest(
      s.ws.id,
      placed(s.externalId, { externalId: `o2-${seq}`, total: 40, discountCodes: [s.code.code] }),
    );
    const after = await getDiscountCode(t.db, s.ws.id, s.code.code);
    expect(after?.redeemedAt?.toISOString()).toBe(placedAt.toISOString());
    expect(after?.redeemedOrderId).toBe(order?.id);
    expect((await getRun(t.db, s.ws.id, s.run.id))?.revenue).toBe(84.5);
    expect(await s.totals()).toMatchObject({ conversions: 1, revenue: 84.5 });
  });

  it('leaves an expired code, another customer’s code and another workspace’s code alone', async () => {
    const expired = await setup({ expiresAt: new Date(Date.now() - DAY) });
    await ingest(
      expired.ws.id,
      placed(expired.externalId, { externalId: `o-${seq}`, total: 10, discountCodes: [expired.code.code] }),
    );
    expect((await getDiscountCode(t.db, expired.ws.id, expired.code.code))?.redeemedAt).toBeNull();
    expect((await getRun(t.db, expired.ws.id, expired.run.id))?.convertedAt).toBeNull();
    expect(await expired.totals()).toMatchObject({ conversions: 0, revenue: 0 });

    // A code is personal: a friend's order carrying it redeems nothing and converts no run.
    const mine = await setup();
    await ingest(
      mine.ws.id,
      placed('a-friend', { externalId: `o-${seq}`, total: 10, discountCodes: [mine.code.code] }),
    );
    expect((await getDiscountCode(t.db, mine.ws.id, mine.code.code))?.redeemedAt).toBeNull();
    expect((await getRun(t.db, mine.ws.id, mine.run.id))?.convertedAt).toBeNull();

    // The same code text in two workspaces: only the order's workspace's code is redeemed.
    const same = `S${seq}`.padEnd(8, 'Z');
    const a = await setup({}, () => same);
    const b = await setup({}, () => same);
    expect(b.code.code).toBe(a.code.code);
    await ingest(
      b.ws.id,
      placed(b.externalId, { externalId: `o-${seq}`, total: 10, discountCodes: [a.code.code] }),
    );
    expect((await getDiscountCode(t.db, b.ws.id, b.code.code))?.redeemedAt).not.toBeNull();
    expect((await getDiscountCode(t.db, a.ws.id, a.code.code))?.redeemedAt).toBeNull();
    expect((await getRun(t.db, a.ws.id, a.run.id))?.convertedAt).toBeNull();
    expect(await a.totals()).toMatchObject({ conversions: 0 });
  });
});

describe('an order’s discount codes', () => {
  it('are kept by an event that does not mention them, and replaced by one that does', async () => {
    const s = await setup();
    const externalId = `o-keep-${seq}`;
    await ingestEvent(
      t.db,
      s.ws.id,
      placed(s.externalId, { externalId, total: 50, discountCodes: ['SPRING', 'spring'] }),
    );
    await ingestEvent(t.db, s.ws.id, placed(s.externalId, { externalId }, 'order.delivered'));
    const kept = await getOrderByExternalId(t.db, s.ws.id, externalId);
    expect(kept).toMatchObject({ total: 50, discountCodes: ['SPRING'] });
    await ingestEvent(
      t.db,
      s.ws.id,
      placed(s.externalId, { externalId, discountCodes: [] }, 'order.updated'),
    );
    expect((await getOrderByExternalId(t.db, s.ws.id, externalId))?.discountCodes).toEqual([]);
  });

  it('redeem a code later reported on an order, at the order’s placed time, keeping an earlier goal conversion', async () => {
    const s = await setup();
    const goalAt = new Date(Date.now() - 120_000);
    await markRunConverted(t.db, s.ws.id, s.run.id, { at: goalAt, revenue: 12 });
    const externalId = `o-late-${seq}`;
    const placedAt = new Date(Date.now() - 60_000);
    await ingestEvent(t.db, s.ws.id, placed(s.externalId, { externalId, total: 99, placedAt }));
    await ingestEvent(
      t.db,
      s.ws.id,
      placed(s.externalId, { externalId, discountCodes: [s.code.code] }, 'order.fulfilled'),
    );
    expect((await getDiscountCode(t.db, s.ws.id, s.code.code))?.redeemedAt?.toISOString()).toBe(
      placedAt.toISOString(),
    );
    const run = await getRun(t.db, s.ws.id, s.run.id);
    expect(run).toMatchObject({ revenue: 12 });
    expect(run?.convertedAt?.toISOString()).toBe(goalAt.toISOString());
    // A goal-less journey: the run counts because its code was redeemed.
    expect(await s.totals()).toMatchObject({ conversions: 1, revenue: 12 });
  });
});
