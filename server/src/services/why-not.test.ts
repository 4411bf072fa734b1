import type { RoutingDecision, RoutingDetail, RoutingOutcome } from '@hourglass/db';
import { describe, expect, it } from 'vitest';
import { decisionText, decisionView, ignoredTimelineEntry } from './why-not';

// Every answer to "why (not)?" reads as one sentence, times in the customer's zone, named.

const at = new Date('2025-12-18T10:05:00Z');
const decision = (
  outcome: RoutingOutcome,
  detail: RoutingDetail = {},
): RoutingDecision & { journeyName: string } => ({
  id: 1,
  workspaceId: 'w',
  customerId: 'c',
  journeyId: 'j',
  runId: null,
  eventId: 'evt_1',
  eventType: 'order.placed',
  eventAt: at,
  outcome,
  detail,
  decidedAt: at,
  journeyName: 'Review request',
});
const zone = 'Europe/Paris';
const when = 'Thu, Dec 18, 11:05 (Europe/Paris)';

describe('decisionText', () => {
  it.each([
    ['draft', 'a draft (not published)'],
    ['paused', 'paused'],
    ['archived', 'archived'],
  ] as const)('a %s journey', (status, words) => {
    expect(decisionText(decision('not_live', { journeyStatus: status }), zone)).toBe(
      `Did not enter "Review request": the journey was ${words} when order.placed evt_1 arrived at ${when}`,
    );
  });

  it('a failed filter names each failed condition with its values', () => {
    const reasons = [
      { field: 'order.total', op: 'gt' as const, expected: 100, actual: 40, passed: false, text: '' },
      { field: 'order.currency', op: 'eq' as const, expected: 'USD', actual: 'USD', passed: true, text: '' },
    ];
    const d = decision('filter', { reasons });
    expect(decisionText(d, zone)).toBe(
      `Did not enter "Review request": the trigger's filter did not match order.placed evt_1 at ${when} (Order total $40 ≤ $100)`,
    );
    expect(decisionView(d, zone).conditions).toEqual([
      { field: 'order.total', op: 'gt', expected: 100, actual: 40, passed: false },
      { field: 'order.currency', op: 'eq', expected: 'USD', actual: 'USD', passed: true },
    ]);
  });

  it('entry rules, segment and order', () => {
    expect(
      decisionText(decision('already_entered', { entryRule: 'once_per_order', scope: 'order' }), zone),
    ).toBe(
      `Did not enter "Review request" on order.placed evt_1 at ${when}: entry rule once per order, and this order has already been through it`,
    );
    expect(
      decisionText(
        decision('entry_period', {
          entryRule: 'at_most_every',
          periodDays: 30,
          lastEnteredAt: '2025-12-01T08:00:00Z',
        }),
        zone,
      ),
    ).toBe(
      `Did not enter "Review request" on order.placed evt_1 at ${when}: entry rule at most once every 30 days; last entered Mon, Dec 1, 09:00 (Europe/Paris)`,
    );
    expect(decisionText(decision('already_running', { scope: 'customer' }), zone)).toMatch(
      /: already in the journey \(a run for the customer is still going\)$/,
    );
    expect(decisionText(decision('entry_segment', { segmentId: 's', segmentName: 'VIPs' }), zone)).toBe(
      `Did not enter "Review request": the customer was not in the entry segment "VIPs" on order.placed evt_1 at ${when}`,
    );
    expect(decisionText(decision('no_order'), zone)).toMatch(
      /carries no order, and the journey runs once per order$/,
    );
  });

  it('an ignored event: another type, or the right type for another order', () => {
    const other = decision('ignored', {
      stepId: 'wait',
      waitsFor: ['order.out_for_delivery'],
      ignoredBecause: 'other_event',
    });
    const line = ignoredTimelineEntry({ ...other, eventType: 'order.delivered' }, zone, {
      nodeId: 'wait',
      nodeLabel: 'Wait',
    });
    expect(line).toMatchObject({
      primitive: 'ignored',
      stepId: 'ignored:evt_1',
      nodeId: 'wait',
      title: `order.delivered evt_1 arrived at ${when} and was ignored: this step waits for order.out_for_delivery`,
    });
    const elsewhere = decision('ignored', { waitsFor: ['order.delivered'], ignoredBecause: 'other_order' });
    expect(decisionText(elsewhere, zone)).toBe(
      `order.placed evt_1 arrived at ${when} and was ignored: it is for another order than this run's, and this step waits for order.delivered of its own order (run of "Review request")`,
    );
  });
});
