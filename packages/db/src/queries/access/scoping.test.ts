import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph, testPlan } from '../../testing';
import {
  getCustomer,
  getCustomerByExternalId,
  searchCustomers,
  upsertCustomerFromEvent,
} from '../customers/customers';
import { getEvent, insertEventOnce } from '../customers/events';
import { getOrder, getOrderByExternalId, upsertOrder } from '../customers/orders';
import { customerEventsPage } from '../customers/profile-pages';
import {
  createJourney,
  getJourney,
  getLiveVersion,
  listJourneys,
  listVersions,
  publishVersion,
  updateJourneyDraft,
} from '../journeys/journeys';
import { addSuppression, getMessage, isSuppressed, reserveMessage } from '../messages/messages';
import { getRun, getRunTimeline, listRuns, recordStep, upsertRun } from '../runs/runs';

// Two tenants with identical external ids and addresses: nothing of B may ever surface through A.
let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('scoping');
});
afterAll(async () => {
  await t?.drop();
});

async function tenant(name: string) {
  const ws = await seedWorkspace(t.db, name);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, {
    externalId: 'c1',
    email: 'same@example.com',
    firstName: name,
  });
  const { order } = await upsertOrder(t.db, ws.id, { externalId: 'o1', customerId: customer.id, total: 50 });
  await insertEventOnce(t.db, ws.id, {
    id: 'evt-1',
    type: 'order.placed',
    customerId: customer.id,
    orderId: order.id,
  });
  const journey = await createJourney(t.db, ws.id, { name: `${name} journey` });
  await publishVersion(t.db, ws.id, journey.id, { graph: testGraph(), plan: testPlan(), planHash: name });
  const run = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${ws.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  await recordStep(t.db, ws.id, { runId: run.id, stepId: 's1', nodeId: 'n1', primitive: 'act' });
  const { message } = await reserveMessage(t.db, ws.id, {
    idempotencyKey: `${run.id}:s1`,
    customerId: customer.id,
    runId: run.id,
    journeyId: journey.id,
    channel: 'email',
    provider: 'outbox',
    toAddress: 'same@example.com',
  });
  await addSuppression(t.db, ws.id, {
    channel: 'email',
    address: 'same@example.com',
    reason: 'unsubscribed',
  });
  return { ws, customer, order, journey, run, message };
}

describe('workspace scoping', () => {
  let a: Awaited<ReturnType<typeof tenant>>;
  let b: Awaited<ReturnType<typeof tenant>>;
  beforeAll(async () => {
    a = await tenant('Alpha');
    b = await tenant('Beta');
  });

  it('keeps identical identities apart', () => {
    expect(a.customer.id).not.toBe(b.customer.id);
    expect(a.order.id).not.toBe(b.order.id);
  });

  it('never returns the other workspace rows from reads', async () => {
    const A = a.ws.id;
    expect(await getCustomer(t.db, A, b.customer.id)).toBeNull();
    expect((await getCustomerByExternalId(t.db, A, 'c1'))?.id).toBe(a.customer.id);
    expect((await searchCustomers(t.db, A, { query: 'same@' })).map((c) => c.id)).toEqual([a.customer.id]);
    expect((await searchCustomers(t.db, A)).map((c) => c.id)).toEqual([a.customer.id]);
    expect(await getOrder(t.db, A, b.order.id)).toBeNull();
    expect((await getOrderByExternalId(t.db, A, 'o1'))?.id).toBe(a.order.id);
    expect((await getEvent(t.db, A, 'evt-1'))?.customerId).toBe(a.customer.id);
    expect((await customerEventsPage(t.db, A, b.customer.id)).items).toEqual([]);
    expect(await getJourney(t.db, A, b.journey.id)).toBeNull();
    expect((await listJourneys(t.db, A)).map((j) => j.id)).toEqual([a.journey.id]);
    expect(await listVersions(t.db, A, b.journey.id)).toEqual([]);
    expect(await getLiveVersion(t.db, A, b.journey.id)).toBeNull();
    expect(await getRun(t.db, A, b.run.id)).toBeNull();
    expect(await getRunTimeline(t.db, A, b.run.id)).toBeNull();
    expect((await listRuns(t.db, A)).map((r) => r.id)).toEqual([a.run.id]);
    expect(await getMessage(t.db, A, b.message.id)).toBeNull();
    const timeline = await getRunTimeline(t.db, A, a.run.id);
    expect(timeline?.messages.map((m) => m.id)).toEqual([a.message.id]);
  });

  it('never lets a write touch or point at the other workspace rows', async () => {
    const A = a.ws.id;
    expect(await updateJourneyDraft(t.db, A, b.journey.id, { name: 'hijacked' })).toBeNull();
    expect((await getJourney(t.db, b.ws.id, b.journey.id))?.name).toBe('Beta journey');
    await expect(
      publishVersion(t.db, A, b.journey.id, { graph: testGraph(), plan: testPlan(), planHash: 'x' }),
    ).rejects.toThrow();
    await expect(
      upsertOrder(t.db, A, { externalId: 'o2', customerId: b.customer.id, total: 1 }),
    ).rejects.toThrow();
    await expect(
      upsertRun(t.db, A, {
        workflowId: `wf-${b.ws.id}`,
        journeyId: a.journey.id,
        version: 1,
        customerId: a.customer.id,
      }),
    ).rejects.toThrow(/another workspace/);
    // Composite foreign keys reject references across workspaces at the database level.
    await expect(
      recordStep(t.db, A, { runId: b.run.id, stepId: 'sx', nodeId: 'n', primitive: 'end' }),
    ).rejects.toThrow();
    await expect(
      insertEventOnce(t.db, A, { id: 'evt-x', type: 'x', customerId: b.customer.id }),
    ).rejects.toThrow();
    await expect(
      reserveMessage(t.db, A, {
        idempotencyKey: `${b.run.id}:s1`,
        customerId: a.customer.id,
        channel: 'email',
        provider: 'outbox',
        toAddress: 'x@example.com',
      }),
    ).rejects.toThrow(/another workspace/);
    expect(await isSuppressed(t.db, A, 'email', 'SAME@example.com')).toBe(true);
    const fresh = await seedWorkspace(t.db, 'Gamma');
    expect(await isSuppressed(t.db, fresh.id, 'email', 'same@example.com')).toBe(false);
  });
});
