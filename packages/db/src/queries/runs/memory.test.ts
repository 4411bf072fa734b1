import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { upsertCustomerFromEvent } from '../customers/customers';
import { createJourney } from '../journeys/journeys';
import { recallRunMemory, rememberOnce } from './memory';
import { upsertRun } from './runs';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('run_memory');
});
afterAll(async () => {
  await t?.drop();
});

async function run() {
  const ws = await seedWorkspace(t.db);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { email: 'ada@example.com' });
  const journey = await createJourney(t.db, ws.id, { name: 'Memory' });
  const r = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${journey.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  return { ws, run: r };
}

describe('run memory', () => {
  it('keeps the first value under a key, for every later and concurrent writer', async () => {
    const { ws, run: r } = await run();
    expect(await recallRunMemory(t.db, ws.id, r.id, 'crm.contact')).toBeUndefined();
    const values = await Promise.all(
      Array.from({ length: 10 }, (_, i) => rememberOnce(t.db, ws.id, r.id, 'crm.contact', { id: `c-${i}` })),
    );
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1);
    expect(await rememberOnce(t.db, ws.id, r.id, 'crm.contact', { id: 'late' })).toEqual(values[0]);
    expect(await rememberOnce(t.db, ws.id, r.id, 'other', 7)).toBe(7);
  });

  it("never reads or writes another workspace's run", async () => {
    const { run: r } = await run();
    const other = await seedWorkspace(t.db);
    expect(await recallRunMemory(t.db, other.id, r.id, 'k')).toBeUndefined();
    await expect(rememberOnce(t.db, other.id, r.id, 'k', 1)).rejects.toThrow();
  });
});
