import type { Rule } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { upsertCustomerFromEvent } from '../customers/customers';
import { insertEventOnce } from '../customers/events';
import { ruleToSql, SegmentRuleError } from './segment-sql';
import {
  createSegment,
  customerInSegment,
  customerMatchesRule,
  performedCounts,
  previewRule,
} from './segments';

let t: TestDatabase;
let ws: string;
let other: string;
const ids: Record<string, string> = {};
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  t = await freshDatabase('segments_performed');
  ws = (await seedWorkspace(t.db, 'Performed shop')).id;
  other = (await seedWorkspace(t.db, 'Other shop')).id;
  for (const name of ['reviewer', 'lapsed', 'once', 'none']) {
    ids[name] = (await upsertCustomerFromEvent(t.db, ws, { email: `${name}@example.com` })).customer.id;
  }
  const event = (id: string, customer: string, type: string, daysAgo: number, workspace = ws) =>
    insertEventOnce(t.db, workspace, { id, type, customerId: ids[customer]!, occurredAt: ago(daysAgo) });
  // reviewer: two reviews in the last 30 days; lapsed: one recent, one 40 days ago.
  await event('r1', 'reviewer', 'review.submitted', 2);
  await event('r2', 'reviewer', 'review.submitted', 20);
  await event('l1', 'lapsed', 'review.submitted', 5);
  await event('l2', 'lapsed', 'review.submitted', 40);
  await event('o1', 'once', 'review.submitted', 1);
  await event('o2', 'once', 'order.placed', 1);
  await event('o3', 'once', 'order.placed', 3);
  // A customer of another workspace with many reviews must never count here.
  const stranger = (await upsertCustomerFromEvent(t.db, other, { email: 'reviewer@example.com' })).customer
    .id;
  for (let i = 0; i < 3; i++) {
    await insertEventOnce(t.db, other, {
      id: `x${i}`,
      type: 'review.submitted',
      customerId: stranger,
      occurredAt: ago(1),
    });
  }
});
afterAll(async () => {
  await t?.drop();
});

const reviews = (atLeast: number, withinDays: number | null): Rule => ({
  performed: { eventType: 'review.submitted', atLeast, withinDays },
});
const emails = (s: { email: string | null }[]) => s.map((c) => c.email).sort();

describe('performed conditions in SQL', () => {
  it('counts only events of the type inside the window', async () => {
    const twoIn30 = await previewRule(t.db, ws, reviews(2, 30));
    expect(twoIn30.count).toBe(1);
    expect(emails(twoIn30.sample)).toEqual(['reviewer@example.com']);
    // The review 40 days ago does not count within 30 days, but does ever.
    expect(await customerMatchesRule(t.db, ws, ids.lapsed!, reviews(2, 30))).toBe(false);
    expect(await customerMatchesRule(t.db, ws, ids.lapsed!, reviews(2, 60))).toBe(true);
    expect(emails((await previewRule(t.db, ws, reviews(2, null))).sample)).toEqual([
      'lapsed@example.com',
      'reviewer@example.com',
    ]);
  });

  it('gives count and sample for at least once, negation and combinations', async () => {
    const once = await previewRule(t.db, ws, reviews(1, 30), { sample: 2 });
    expect(once.count).toBe(3);
    expect(once.sample).toHaveLength(2);
    expect(emails((await previewRule(t.db, ws, { not: reviews(1, 30) })).sample)).toEqual([
      'none@example.com',
    ]);
    const buyerAndReviewer: Rule = {
      all: [reviews(1, 7), { performed: { eventType: 'order.placed', atLeast: 2, withinDays: 7 } }],
    };
    expect(emails((await previewRule(t.db, ws, buyerAndReviewer)).sample)).toEqual(['once@example.com']);
    expect((await previewRule(t.db, ws, reviews(4, null))).count).toBe(0);
  });

  it('works inside a referenced segment', async () => {
    const seg = await createSegment(t.db, ws, { name: 'Reviewers', rule: reviews(2, 30) });
    expect(await customerInSegment(t.db, ws, seg.id, ids.reviewer!)).toBe(true);
    expect(await customerInSegment(t.db, ws, seg.id, ids.lapsed!)).toBe(false);
    expect((await previewRule(t.db, ws, { any: [{ segment: seg.id }] })).count).toBe(1);
  });

  it('gives the same members per customer (correlated count) as over the workspace (hashed set)', async () => {
    const rules: Rule[] = [
      reviews(1, 30),
      reviews(2, 30),
      reviews(2, null),
      { not: reviews(2, 60) },
      { any: [reviews(3, null), { performed: { eventType: 'order.placed', atLeast: 1, withinDays: 2 } }] },
    ];
    for (const rule of rules) {
      const preview = await previewRule(t.db, ws, rule, { sample: 100 });
      const one = [];
      for (const id of Object.values(ids)) if (await customerMatchesRule(t.db, ws, id, rule)) one.push(id);
      expect(preview.sample.map((c) => c.id).sort(), JSON.stringify(rule)).toEqual(one.sort());
      expect(preview.count).toBe(one.length);
    }
  });

  it('keeps workspaces apart', async () => {
    expect((await previewRule(t.db, other, reviews(3, 30))).count).toBe(1);
    expect((await previewRule(t.db, ws, reviews(3, 30))).count).toBe(0);
  });

  it('still rejects non-customer fields next to performed', () => {
    expect(() => ruleToSql({ all: [reviews(1, 30), { field: 'order.total', op: 'gt', value: 1 }] })).toThrow(
      SegmentRuleError,
    );
  });
});

describe('performedCounts', () => {
  it('counts every distinct type and window in one call', async () => {
    const counts = await performedCounts(t.db, ws, ids.lapsed!, [
      { eventType: 'review.submitted', withinDays: 30 },
      { eventType: 'review.submitted', withinDays: null },
      { eventType: 'review.submitted', withinDays: 30 },
      { eventType: 'order.placed', withinDays: 365 },
    ]);
    expect(counts).toEqual({ 'review.submitted|30': 1, 'review.submitted|ever': 2, 'order.placed|365': 0 });
    expect(await performedCounts(t.db, ws, ids.none!, [])).toEqual({});
  });
});
