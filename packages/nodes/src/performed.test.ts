import type { Diagnostic } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './registry';
import { g } from './testing';

const codes = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.severity}:${d.code}@${d.nodeId ?? '-'}${d.field ? `.${d.field}` : ''}`);

const performed = { performed: { eventType: 'order.placed', atLeast: 2, withinDays: 365 } };

// `performed` needs the customer's event history: branches (decide activity) and entry rules (SQL)
// have it; filters evaluated on an incoming event do not, so there it is an error on the node.
describe('performed conditions at compile time', () => {
  it('is accepted in a branch case and in the entry rule', () => {
    const graph = g(
      [
        ['t', 'trigger', { scope: 'customer', entry: { rule: 'every_time', segmentRule: performed } }],
        ['b', 'branch', { cases: [{ id: 'loyal', when: { kind: 'conditions', rule: performed } }] }],
        ['x', 'exit'],
      ],
      [
        ['t', 'b'],
        ['b', 'x', 'loyal'],
        ['b', 'x', 'else'],
      ],
    );
    const out = compileJourney(graph);
    expect(codes(out.diagnostics).filter((c) => c.startsWith('error'))).toEqual([]);
    expect(out.ok).toBe(true);
  });

  it.each([
    [
      'trigger filter',
      { start: { kind: 'event', eventType: 'order.placed', filter: performed } },
      'start.filter',
    ],
    [
      'exit filter',
      { exits: [{ eventType: 'order.refunded', filter: { all: [performed] } }] },
      'exits.0.filter',
    ],
    ['goal filter', { goal: { eventType: 'order.placed', filter: { not: performed } } }, 'goal.filter'],
  ])('is an error in a %s', (_name, config, field) => {
    const out = compileJourney(
      g(
        [
          ['t', 'trigger', config],
          ['x', 'exit'],
        ],
        [['t', 'x']],
      ),
    );
    expect(codes(out.diagnostics)).toContain(`error:rule.performed_unsupported@t.${field}`);
    expect(out.ok).toBe(false);
  });

  it('is an error in a wait-for-event filter, on that node', () => {
    const graph = g(
      [
        ['t', 'trigger'],
        ['w', 'wait_for_event', { eventType: 'review.submitted', filter: performed }],
        ['x', 'exit'],
      ],
      [
        ['t', 'w'],
        ['w', 'x', 'happened'],
        ['w', 'x', 'timed_out'],
      ],
    );
    const out = compileJourney(graph);
    expect(codes(out.diagnostics)).toEqual(['error:rule.performed_unsupported@w.filter']);
    expect(out.diagnostics[0]?.message).toContain('event history');
  });
});
