import type { Diagnostic } from '@hourglass/journey';
import { Plan } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from '../registry';
import { g } from '../testing';
import { waitForEvent } from './definition';

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}:${d.code}@${d.nodeId}.${d.field ?? ''}`);

describe('wait for event, or any of several', () => {
  it('gives each other event its own output, named after it, and compiles them in listed order', () => {
    const config = waitForEvent.config.parse({
      eventType: 'order.delivered',
      orEventTypes: [{ eventType: 'order.out_for_delivery' }, { eventType: 'order.fulfilled' }],
    });
    expect(waitForEvent.ports(config).map((p) => [p.id, p.label])).toEqual([
      ['happened', 'Delivered'],
      ['order.out_for_delivery', 'Out for delivery'],
      ['order.fulfilled', 'Fulfilled'],
      ['timed_out', 'Timed out'],
    ]);
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          ['w', 'wait_for_event', config],
          ['d', 'exit', { label: 'Delivered' }],
          ['o', 'exit', { label: 'Out' }],
          ['s', 'exit', { label: 'Shipped' }],
          ['x', 'exit', { label: 'None' }],
        ],
        [
          ['t', 'w'],
          ['w', 'd', 'happened'],
          ['w', 'o', 'order.out_for_delivery'],
          ['w', 's', 'order.fulfilled'],
          ['w', 'x', 'timed_out'],
        ],
      ),
    );
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    if (!r.ok) return;
    expect(Plan.parse(r.plan)).toEqual(r.plan);
    expect(r.plan.steps.w).toMatchObject({
      type: 'await',
      event: { type: 'order.delivered' },
      next: { happened: 'd', timedOut: 'x' },
      orEvents: [
        { type: 'order.out_for_delivery', next: 'o' },
        { type: 'order.fulfilled', next: 's' },
      ],
    });
  });

  it('keeps the plan of a wait for one event as it was (no orEvents key, same hash)', () => {
    const graph = g(
      [
        ['t', 'trigger'],
        ['w', 'wait_for_event', { eventType: 'review.submitted' }],
        ['x', 'exit'],
      ],
      [
        ['t', 'w'],
        ['w', 'x', 'happened'],
        ['w', 'x', 'timed_out'],
      ],
    );
    const r = compileJourney(graph);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.plan.steps.w ?? {})).not.toContain('orEvents');
    expect(waitForEvent.ports(waitForEvent.config.parse({})).map((p) => p.label)).toEqual([
      'Happened',
      'Timed out',
    ]);
  });

  it('refuses an event listed twice or named like an output, naming the entry', () => {
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          [
            'w',
            'wait_for_event',
            {
              eventType: 'order.delivered',
              orEventTypes: [{ eventType: 'order.delivered' }, { eventType: 'timed_out' }],
            },
          ],
          ['x', 'exit'],
        ],
        [
          ['t', 'w'],
          ['w', 'x', 'happened'],
          ['w', 'x', 'timed_out'],
        ],
      ),
    );
    expect(codes(r.diagnostics)).toEqual(
      expect.arrayContaining([
        'error:wait.duplicate_event@w.orEventTypes.0.eventType',
        'error:wait.duplicate_event@w.orEventTypes.1.eventType',
      ]),
    );
  });
});
