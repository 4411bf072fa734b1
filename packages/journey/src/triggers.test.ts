import { describe, expect, it } from 'vitest';
import type { Plan } from './plan';
import type { Rule } from './rule';
import {
  type DateTrigger,
  dateTriggerEvent,
  dateTriggerOf,
  decideEntry,
  type EntryProbe,
  isDateEvent,
  type LastEntry,
  type TriggerEvent,
  triggerMatches,
} from './triggers';

type Entry = Pick<Plan, 'trigger' | 'scope' | 'entry'>;

const placed: Entry = {
  trigger: {
    kind: 'event',
    eventType: 'order.placed',
    filter: { field: 'order.total', op: 'gt', value: 100 },
  },
  scope: 'order',
  entry: { rule: 'once_per_order' },
};
const birthday: DateTrigger = { kind: 'date', source: 'birthday', offsetDays: 0, hour: 9, minute: 0 };

const event = (over: Partial<TriggerEvent> = {}): TriggerEvent => ({
  id: 'ev-2',
  type: 'order.placed',
  orderId: 'o-1',
  occurredAt: new Date('2024-06-10T12:00:00Z'),
  properties: {},
  ...over,
});
const bigOrder = { order: { total: 250 } };

/** A probe answering from fixed data, recording what it was asked. */
function probe(opts: { members?: (rule: Rule) => boolean; last?: LastEntry } = {}) {
  const asked: string[] = [];
  const p: EntryProbe = {
    customerMatches: async (rule) => {
      asked.push(`rule:${JSON.stringify(rule)}`);
      return opts.members?.(rule) ?? true;
    },
    lastEntry: async () => {
      asked.push('last');
      return opts.last;
    },
  };
  return { probe: p, asked };
}

describe('triggerMatches', () => {
  it('matches an event trigger by event type', () => {
    expect(triggerMatches('j1', placed, event())).toBe(true);
    expect(triggerMatches('j1', placed, event({ type: 'order.fulfilled' }))).toBe(false);
  });

  it("matches the date sweep's event to the one journey it was made for", () => {
    const plan = { trigger: birthday };
    const made = dateTriggerEvent('j1', birthday, { customerId: 'c1', localDate: '2024-06-10' });
    expect(made).toEqual({
      id: 'date:j1:c1:2024-06-10',
      type: 'date.birthday',
      customerId: 'c1',
      properties: { journeyId: 'j1', localDate: '2024-06-10' },
    });
    expect(isDateEvent(made.type)).toBe(true);
    expect(triggerMatches('j1', plan, made)).toBe(true);
    expect(triggerMatches('j2', plan, made)).toBe(false);
    const anniversary: DateTrigger = { ...birthday, source: 'first_order_anniversary' };
    expect(triggerMatches('j1', { trigger: anniversary }, made)).toBe(false);
    // An event trigger never takes a date event, even one of the same name.
    expect(triggerMatches('j1', { trigger: { kind: 'event', eventType: 'x', filter: null } }, made)).toBe(
      false,
    );
  });

  it('names the attribute of an attribute date trigger on its event', () => {
    const trigger: DateTrigger = { ...birthday, source: 'attribute', attribute: 'renewal' };
    const made = dateTriggerEvent('j1', trigger, { customerId: 'c1', localDate: '2024-06-10' });
    expect(made.type).toBe('date.attribute');
    expect(made.properties).toEqual({ journeyId: 'j1', localDate: '2024-06-10', attribute: 'renewal' });
  });

  it('gives the date sweep the date-triggered journeys only', () => {
    expect(dateTriggerOf({ trigger: birthday })).toBe(birthday);
    expect(dateTriggerOf(placed)).toBeNull();
    expect(isDateEvent('order.placed')).toBe(false);
  });
});

describe('decideEntry', () => {
  it('lets the customer in with the order for order-scoped journeys, none for customer-scoped ones', async () => {
    expect(await decideEntry(placed, event(), bigOrder, probe().probe)).toEqual({
      enter: true,
      orderId: 'o-1',
    });
    const perCustomer: Entry = { ...placed, scope: 'customer' };
    expect(await decideEntry(perCustomer, event(), bigOrder, probe().probe)).toEqual({
      enter: true,
      orderId: null,
    });
  });

  it('checks the filter first (saying what it compared), then the order, without asking storage', async () => {
    const p = probe();
    expect(await decideEntry(placed, event(), { order: { total: 50 } }, p.probe)).toEqual({
      enter: false,
      reason: 'filter',
      reasons: [
        {
          field: 'order.total',
          op: 'gt',
          expected: 100,
          actual: 50,
          passed: false,
          text: 'Order total 50 > 100 (no)',
        },
      ],
    });
    expect(await decideEntry(placed, event({ orderId: null }), bigOrder, p.probe)).toEqual({
      enter: false,
      reason: 'no_order',
    });
    expect(p.asked).toEqual([]);
  });

  it('applies the entry rule, then the entry segment, in SQL through the probe', async () => {
    const segmentRule: Rule = { field: 'customer.stats.ordersCount', op: 'eq', value: 1 };
    const plan: Entry = { ...placed, entry: { rule: 'once_per_order', segmentRule, segmentId: 's1' } };
    const notInRule = probe({ members: (r) => !('field' in r) });
    expect(await decideEntry(plan, event(), bigOrder, notInRule.probe)).toEqual({
      enter: false,
      reason: 'entry_rule',
    });
    expect(notInRule.asked).toEqual([`rule:${JSON.stringify(segmentRule)}`]);
    const notInSegment = probe({ members: (r) => !('segment' in r) });
    expect(await decideEntry(plan, event(), bigOrder, notInSegment.probe)).toEqual({
      enter: false,
      reason: 'entry_segment',
    });
    expect(notInSegment.asked).toEqual([`rule:${JSON.stringify(segmentRule)}`, 'rule:{"segment":"s1"}']);
  });

  it('holds at_most_every to its period, except for the run this same event started', async () => {
    const plan: Entry = { ...placed, entry: { rule: 'at_most_every', periodDays: 7 } };
    const recent = { triggerEventId: 'ev-1', startedAt: new Date('2024-06-05T12:00:00Z') };
    expect(await decideEntry(plan, event(), bigOrder, probe({ last: recent }).probe)).toEqual({
      enter: false,
      reason: 'entry_period',
    });
    const sameEvent = { ...recent, triggerEventId: 'ev-2' };
    expect((await decideEntry(plan, event(), bigOrder, probe({ last: sameEvent }).probe)).enter).toBe(true);
    const longAgo = { ...recent, startedAt: new Date('2024-06-03T11:59:59Z') };
    expect((await decideEntry(plan, event(), bigOrder, probe({ last: longAgo }).probe)).enter).toBe(true);
    expect((await decideEntry(plan, event(), bigOrder, probe().probe)).enter).toBe(true);
    // Without periodDays the period is a day.
    const daily: Entry = { ...placed, entry: { rule: 'at_most_every' } };
    const hourAgo = { triggerEventId: 'ev-1', startedAt: new Date('2024-06-10T11:00:00Z') };
    expect(await decideEntry(daily, event(), bigOrder, probe({ last: hourAgo }).probe)).toEqual({
      enter: false,
      reason: 'entry_period',
    });
  });

  it('takes date-triggered journeys through the same entry checks (no filter to apply)', async () => {
    const plan: Entry = {
      trigger: birthday,
      scope: 'customer',
      entry: { rule: 'every_time', segmentId: 's1' },
    };
    const made = dateTriggerEvent('j1', birthday, { customerId: 'c1', localDate: '2024-06-10' });
    const dateEvent = event({ ...made, orderId: null });
    expect(await decideEntry(plan, dateEvent, {}, probe({ members: () => false }).probe)).toEqual({
      enter: false,
      reason: 'entry_segment',
    });
    expect(await decideEntry(plan, dateEvent, {}, probe().probe)).toEqual({ enter: true, orderId: null });
  });
});
