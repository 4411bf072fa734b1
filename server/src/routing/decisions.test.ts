import type { Event, Run } from '@hourglass/db';
import type { Plan } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { ignoredByRun } from './decisions';

// Which events a waiting run ignores at its step, as routing notes them for the timeline.

const plan = {
  steps: {
    wait: {
      type: 'await',
      id: 'wait',
      nodeId: 'wait',
      event: { type: 'order.out_for_delivery', filter: null, sameOrder: true },
      timeoutMs: 1000,
      sinceRunStart: false,
      next: { happened: 'done', timedOut: 'done' },
      orEvents: [{ type: 'order.shipped', next: 'done' }],
    },
  },
  exits: [{ eventType: 'order.refunded', filter: null, sameOrder: true }],
  goal: { eventType: 'review.submitted', filter: null, windowHours: 24, exitOnReach: true },
} as unknown as Pick<Plan, 'steps' | 'exits' | 'goal'>;
const run: Parameters<typeof ignoredByRun>[0] = {
  id: 'r1',
  journeyId: 'j1',
  status: 'waiting' as Run['status'],
  currentStep: 'wait',
  waitingFor: { kind: 'await' as const, until: null, eventType: 'order.out_for_delivery' },
  orderId: 'o1',
};
const event = (type: string, orderId = 'o1') =>
  ({ id: `e_${type}`, type, orderId, occurredAt: new Date(0) }) as Event;

describe('ignoredByRun', () => {
  it('another event type than the step waits for', () => {
    expect(ignoredByRun(run, plan, event('order.delivered'))).toMatchObject({
      runId: 'r1',
      outcome: 'ignored',
      detail: {
        stepId: 'wait',
        waitsFor: ['order.out_for_delivery', 'order.shipped'],
        ignoredBecause: 'other_event',
      },
    });
  });

  it('the right type for another order', () => {
    expect(ignoredByRun(run, plan, event('order.shipped', 'o2'))?.detail?.ignoredBecause).toBe('other_order');
  });

  it('never what the step, an exit or the goal takes, nor a run that is not waiting for an event', () => {
    for (const type of ['order.out_for_delivery', 'order.shipped', 'order.refunded', 'review.submitted'])
      expect(ignoredByRun(run, plan, event(type))).toBeNull();
    expect(ignoredByRun({ ...run, status: 'running' }, plan, event('order.delivered'))).toBeNull();
    expect(
      ignoredByRun({ ...run, waitingFor: { kind: 'sleep', until: null } }, plan, event('order.delivered')),
    ).toBeNull();
  });
});
