import { FIELD_CATALOG, type Graph, type Rule } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './registry';
import { g } from './testing';
import { nodeUis, summarizeNode } from './ui';

describe('summaries', () => {
  it.each([
    ['delay', { amount: 7 }, 'Wait 7 days'],
    ['delay', { amount: 1, unit: 'hours' }, 'Wait 1 hour'],
    ['delay', { mode: 'time_of_day', hour: 9, weekdays: [1, 3] }, 'Wait until 09:00 on Mon, Wed'],
    ['delay', { mode: 'date_field', offsetAmount: 20 }, 'Wait until 20 days after order.placedAt'],
    [
      'send_email',
      { subject: 'How are you liking {{ order.items[0].title }}?' },
      'Email · How are you liking {{ order.items[0].title }}?',
    ],
    [
      'branch',
      { cases: [1, 2, 3].map((i) => ({ id: `c${i}`, when: { kind: 'segment', segmentId: 's' } })) },
      'Branch · 3 cases',
    ],
    ['ab_split', {}, 'Split · A 50% / B 50%'],
    ['trigger', {}, 'When order.placed'],
    ['teleport', {}, 'teleport'],
    ['delay', { unit: 'eons' }, 'Delay'],
  ])('%s %j → %s', (kind, config, expected) => {
    expect(summarizeNode(kind, config)).toBe(expected);
  });
});

// Where each rule field sits in a journey that compiles, so its diagnostics can be read.
const HOLDERS: Record<string, (rule: Rule) => Graph> = {
  'branch cases.*.when': (rule) =>
    g(
      [
        ['t', 'trigger'],
        ['n', 'branch', { cases: [{ id: 'c', when: { kind: 'conditions', rule } }] }],
        ['x', 'exit'],
      ],
      [
        ['t', 'n'],
        ['n', 'x', 'c'],
        ['n', 'x', 'else'],
      ],
    ),
  'wait_for_event filter': (rule) =>
    g(
      [
        ['t', 'trigger'],
        ['n', 'wait_for_event', { eventType: 'review.submitted', filter: rule }],
        ['x', 'exit'],
      ],
      [
        ['t', 'n'],
        ['n', 'x', 'happened'],
        ['n', 'x', 'timed_out'],
      ],
    ),
  'trigger start.filter': (rule) =>
    onTrigger({ start: { kind: 'event', eventType: 'order.placed', filter: rule } }),
  'trigger entry.segmentRule': (rule) =>
    onTrigger({ scope: 'customer', entry: { rule: 'every_time', segmentRule: rule } }),
  'trigger exits.*.filter': (rule) => onTrigger({ exits: [{ eventType: 'order.refunded', filter: rule }] }),
  'trigger goal.filter': (rule) => onTrigger({ goal: { eventType: 'order.placed', filter: rule } }),
};
function onTrigger(config: Record<string, unknown>): Graph {
  return g(
    [
      ['n', 'trigger', config],
      ['x', 'exit'],
    ],
    [['n', 'x']],
  );
}

describe('rule fields', () => {
  // The web rule editor offers, per rule field, the roots and "performed" conditions its scope names.
  const scoped = Object.entries(nodeUis).flatMap(([kind, ui]) =>
    Object.entries(ui.fields ?? {}).flatMap(([path, f]) =>
      f.rule ? [[`${kind} ${path}`, f.rule] as const] : [],
    ),
  );

  it('declare an editor scope for every rule field that has a journey to test it in', () => {
    expect(scoped.map(([name]) => name).sort()).toEqual(Object.keys(HOLDERS).sort());
  });

  it.each(scoped)('%s: what the editor offers, journey compile accepts', (name, scope) => {
    const fields = FIELD_CATALOG.filter((s) => !s.freeForm && scope.roots.includes(s.root));
    const offered: Rule = {
      all: [
        ...fields.map((s) => ({ field: s.path, op: 'exists' as const })),
        ...(scope.performed
          ? [{ performed: { eventType: 'order.placed', atLeast: 1, withinDays: 30 } }]
          : []),
      ],
    };
    const errors = compileJourney(HOLDERS[name]!(offered)).diagnostics.filter(
      (d) => d.severity === 'error' && d.nodeId === 'n',
    );
    expect(errors).toEqual([]);
    if (!scope.performed) {
      const performed = { performed: { eventType: 'order.placed', atLeast: 1, withinDays: null } };
      const refused = compileJourney(HOLDERS[name]!(performed)).diagnostics.map((d) => d.code);
      expect(refused).toContain('rule.performed_unsupported');
    }
  });
});
