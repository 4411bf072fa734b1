import { describe, expect, it } from 'vitest';
import { type EntryFacts, entryRuleText, entryTimelineEntry } from './timeline-entry';

const facts: EntryFacts = {
  run: { startedAt: new Date('2020-12-08T10:05:02Z'), triggerEventId: 'evt_1' },
  event: { id: 'evt_1', type: 'order.placed', occurredAt: new Date('2020-12-08T10:05:00Z') },
  trigger: { kind: 'event', eventType: 'order.placed', filter: null },
  entry: { rule: 'once_per_order' },
  triggerNode: { id: 'trigger', label: 'Order placed' },
  segmentName: null,
  timeZone: 'Europe/Paris',
};

describe('the entry of a run', () => {
  it('names the trigger event, its time in the customer zone and the entry rule', () => {
    const e = entryTimelineEntry(facts);
    expect(e.title).toBe(
      'Entered because order.placed evt_1 at Tue, Dec 8, 11:05 (Europe/Paris), entry rule once per order',
    );
    expect(e).toMatchObject({
      primitive: 'entry',
      nodeId: 'trigger',
      nodeLabel: 'Order placed',
      details: [],
    });
    expect(e.at).toEqual(facts.run.startedAt);
  });

  it('says which filter and segment it passed', () => {
    const e = entryTimelineEntry({
      ...facts,
      trigger: { kind: 'event', eventType: 'order.placed', filter: { all: [] } },
      entry: { rule: 'at_most_every', periodDays: 30, segmentId: 's1' },
      segmentName: 'VIP',
    });
    expect(e.title).toMatch(/, entry rule at most once every 30 days$/);
    expect(e.details).toEqual(["Matched the trigger's filter", 'In the entry segment VIP']);
  });

  it('without the stored event, says when the run started and the event id', () => {
    expect(entryTimelineEntry({ ...facts, event: null }).title).toBe(
      'Entered at Tue, Dec 8, 11:05 (Europe/Paris) (trigger event evt_1), entry rule once per order',
    );
  });

  it('every rule in words', () => {
    expect(entryRuleText({ rule: 'once_per_customer' })).toBe('once per customer');
    expect(entryRuleText({ rule: 'every_time' })).toBe('every time');
    expect(entryRuleText({ rule: 'at_most_every', periodDays: 1 })).toBe('at most once a day');
  });
});
