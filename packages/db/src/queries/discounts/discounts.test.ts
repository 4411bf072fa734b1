import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discountCodes } from '../../schema';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph, testPlan } from '../../testing';
import { upsertCustomerFromEvent } from '../customers/customers';
import { createJourney, publishVersion } from '../journeys/journeys';
import { upsertRun } from '../runs/runs';
import {
  CODE_ALPHABET,
  createDiscountCode,
  DiscountCodeError,
  type DiscountCodeInput,
  getDiscountCode,
  listRunDiscountCodes,
  randomCodePart,
  sanitizeCodePrefix,
} from './discounts';

// Making codes: idempotent per step visit, unambiguous, collision-safe, looked up in any case.
// Redemption by order events is in redeem.test.ts.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('discounts');
});
afterAll(async () => {
  await t?.drop();
});

let seq = 0;
/** A workspace with a customer and a run of a published journey, and an input for that run's code. */
async function setup() {
  const ws = await seedWorkspace(t.db);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { externalId: `c-${++seq}` });
  const journey = await createJourney(t.db, ws.id, { name: 'Win-back', draftGraph: testGraph() });
  await publishVersion(t.db, ws.id, journey.id, { graph: testGraph(), plan: testPlan(), planHash: 'h1' });
  const run = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${journey.id}-${customer.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  const input = (over: Partial<DiscountCodeInput> = {}): DiscountCodeInput => ({
    idempotencyKey: `${run.workflowId}:discount:0`,
    customerId: customer.id,
    runId: run.id,
    journeyId: journey.id,
    stepId: 'discount',
    kind: 'percent',
    value: 15,
    expiresAt: new Date(Date.now() + 14 * 86_400_000),
    ...over,
  });
  return { ws, customer, journey, run, input };
}

const RANDOM = new RegExp(`^[${CODE_ALPHABET}]{8}$`);

describe('createDiscountCode', () => {
  it('returns the same code for the same step visit, and makes one row under 20 concurrent calls', async () => {
    const { ws, run, input } = await setup();
    const first = await createDiscountCode(t.db, ws.id, input({ prefix: 'WELCOME-' }));
    expect(first.code).toMatch(/^WELCOME-[2-9A-HJ-NP-Z]{8}$/);
    expect(first).toMatchObject({
      kind: 'percent',
      value: 15,
      currency: null,
      runId: run.id,
      redeemedAt: null,
    });
    // A retry returns the first call's row, whatever it passes.
    const again = await createDiscountCode(t.db, ws.id, input({ prefix: 'OTHER', value: 50 }));
    expect(again).toEqual(first);

    const key = input({ idempotencyKey: `${run.workflowId}:discount:1` });
    const all = await Promise.all(Array.from({ length: 20 }, () => createDiscountCode(t.db, ws.id, key)));
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
    expect(new Set(all.map((c) => c.code)).size).toBe(1);
    const rows = await t.db
      .select()
      .from(discountCodes)
      .where(sql`workspace_id = ${ws.id} and idempotency_key = ${key.idempotencyKey}`);
    expect(rows).toHaveLength(1);
    expect((await listRunDiscountCodes(t.db, ws.id, run.id)).map((c) => c.code)).toEqual([
      first.code,
      all[0]!.code,
    ]);
  });

  it('sanitises the prefix and draws the random part from an unambiguous alphabet', async () => {
    expect(sanitizeCodePrefix('été-10 %')).toBe('ETE-10');
    expect(sanitizeCodePrefix("  summer_sale! '25")).toBe('SUMMERSALE25');
    expect(sanitizeCodePrefix('x'.repeat(40))).toBe('X'.repeat(20));
    expect(sanitizeCodePrefix(undefined)).toBe('');
    expect(CODE_ALPHABET).not.toMatch(/[01OI]/);
    const parts = Array.from({ length: 2000 }, randomCodePart);
    for (const p of parts) expect(p).toMatch(RANDOM);
    expect(new Set(parts.join('')).size).toBe(32); // every letter of the alphabet comes up

    const { ws, input } = await setup();
    const made = await createDiscountCode(t.db, ws.id, input({ prefix: 'ça <b>va</b>!' }));
    expect(made.code.slice(0, 6)).toBe('CABVAB');
    expect(made.code.slice(6)).toMatch(RANDOM);
    const bare = await createDiscountCode(t.db, ws.id, input({ idempotencyKey: 'bare' }));
    expect(bare.code).toMatch(RANDOM);
  });

  it('tries a new random part when the code is taken in the workspace (in any case), then gives up clearly', async () => {
    const { ws, input } = await setup();
    await createDiscountCode(t.db, ws.id, input({ idempotencyKey: 'a' }), { randomPart: () => 'AAAAAAAA' });
    // A code stored in lower case (by hand, or by a store) takes its upper-case twin too.
    await t.db.insert(discountCodes).values({
      ...input({ idempotencyKey: 'hand' }),
      workspaceId: ws.id,
      code: 'bbbbbbbb',
    });
    const tries = ['AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC'];
    const made = await createDiscountCode(t.db, ws.id, input({ idempotencyKey: 'b' }), {
      randomPart: () => tries.shift()!,
    });
    expect(made.code).toBe('CCCCCCCC');

    const failed = await createDiscountCode(t.db, ws.id, input({ idempotencyKey: 'c' }), {
      randomPart: () => 'AAAAAAAA',
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DiscountCodeError);
    expect(failed).toMatchObject({ code: 'discount.code_collision' });
    // The same random part in another workspace is no collision.
    const other = await setup();
    const elsewhere = await createDiscountCode(t.db, other.ws.id, other.input(), {
      randomPart: () => 'AAAAAAAA',
    });
    expect(elsewhere.code).toBe('AAAAAAAA');
  });

  it('refuses a discount that makes no sense, naming the field', async () => {
    const { ws, input } = await setup();
    const refused = (over: Partial<DiscountCodeInput>) =>
      createDiscountCode(t.db, ws.id, input(over)).catch((e: DiscountCodeError) => [e.code, e.field]);
    expect(await refused({ value: 150 })).toEqual(['discount.invalid', 'value']);
    expect(await refused({ value: 0.001 })).toEqual(['discount.invalid', 'value']);
    expect(await refused({ value: Number.NaN })).toEqual(['discount.invalid', 'value']);
    expect(await refused({ kind: 'amount', value: 10 })).toEqual(['discount.invalid', 'currency']);
    expect(await refused({ kind: 'amount', value: 10, currency: 'euro' })).toEqual([
      'discount.invalid',
      'currency',
    ]);
    expect(await refused({ idempotencyKey: '' })).toEqual(['discount.invalid', 'idempotencyKey']);
    const amount = await createDiscountCode(
      t.db,
      ws.id,
      input({ kind: 'amount', value: 10.5, currency: 'eur' }),
    );
    expect(amount).toMatchObject({ kind: 'amount', value: 10.5, currency: 'EUR' });
  });
});

describe('getDiscountCode', () => {
  it('finds a code in any case, only in its own workspace', async () => {
    const { ws, input } = await setup();
    const made = await createDiscountCode(t.db, ws.id, input({ prefix: 'vip' }));
    expect((await getDiscountCode(t.db, ws.id, made.code.toLowerCase()))?.id).toBe(made.id);
    expect((await getDiscountCode(t.db, ws.id, `  ${made.code}  `))?.id).toBe(made.id);
    const other = await seedWorkspace(t.db);
    expect(await getDiscountCode(t.db, other.id, made.code)).toBeNull();
    expect(await getDiscountCode(t.db, ws.id, 'NOPE2345')).toBeNull();
    expect(await getDiscountCode(t.db, ws.id, '')).toBeNull();
    expect(await listRunDiscountCodes(t.db, other.id, made.runId!)).toEqual([]);
  });
});
