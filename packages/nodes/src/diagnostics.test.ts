import type { Diagnostic } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './registry';
import { g } from './testing';

const codes = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.severity}:${d.code}@${d.nodeId ?? '-'}${d.field ? `.${d.field}` : ''}`);

// One row per compiler rule: the graph, and exactly the diagnostics it must produce.
describe('compiler diagnostics', () => {
  it.each<[string, ReturnType<typeof g>, string[]]>([
    ['no trigger', g([['x', 'exit']]), ['error:trigger.missing@-']],
    [
      'two triggers',
      g(
        [
          ['t', 'trigger'],
          ['t2', 'trigger'],
          ['x', 'exit'],
        ],
        [
          ['t', 'x'],
          ['t2', 'x'],
        ],
      ),
      ['error:trigger.multiple@t2'],
    ],
    ['trigger unconnected', g([['t', 'trigger']]), ['error:port.unconnected@t.out']],
    [
      'unreachable node',
      g(
        [
          ['t', 'trigger'],
          ['x', 'exit'],
          ['y', 'exit'],
        ],
        [['t', 'x']],
      ),
      ['error:node.unreachable@y'],
    ],
    [
      'unknown kind',
      g(
        [
          ['t', 'trigger'],
          ['z', 'teleport'],
        ],
        [['t', 'z']],
      ),
      ['error:node.unknown_kind@z'],
    ],
    [
      'dangling edge',
      g(
        [
          ['t', 'trigger'],
          ['x', 'exit'],
        ],
        [
          ['t', 'x'],
          ['x', 'ghost'],
        ],
      ),
      ['error:edge.dangling@x'],
    ],
    [
      'edge into trigger',
      g(
        [
          ['t', 'trigger'],
          ['d', 'delay'],
        ],
        [
          ['t', 'd'],
          ['d', 't'],
        ],
      ),
      ['error:edge.into_trigger@t', 'warning:port.unconnected@d.out'],
    ],
    [
      'unknown port',
      g(
        [
          ['t', 'trigger'],
          ['x', 'exit'],
        ],
        [['t', 'x', 'nope']],
      ),
      ['error:edge.unknown_port@t', 'error:port.unconnected@t.out'],
    ],
    [
      'fan-out from one port',
      g(
        [
          ['t', 'trigger'],
          ['x', 'exit'],
          ['y', 'exit'],
        ],
        [
          ['t', 'x'],
          ['t', 'y'],
        ],
      ),
      ['error:port.multiple_edges@t'],
    ],
    [
      'duplicate node id',
      g(
        [
          ['t', 'trigger'],
          ['x', 'exit'],
          ['x', 'delay'],
        ],
        [['t', 'x']],
      ),
      ['error:node.duplicate_id@x'],
    ],
    [
      'config error mapped to field',
      g(
        [
          ['t', 'trigger'],
          ['d', 'delay', { unit: 'fortnights' }],
        ],
        [['t', 'd']],
      ),
      ['error:config.invalid@d.unit'],
    ],
    [
      'negative delay',
      g(
        [
          ['t', 'trigger'],
          ['d', 'delay', { amount: -1 }],
          ['x', 'exit'],
        ],
        [
          ['t', 'd'],
          ['d', 'x'],
        ],
      ),
      ['error:delay.negative@d.amount'],
    ],
    [
      'absurd delay',
      g(
        [
          ['t', 'trigger'],
          ['d', 'delay', { amount: 200, unit: 'weeks' }],
          ['x', 'exit'],
        ],
        [
          ['t', 'd'],
          ['d', 'x'],
        ],
      ),
      ['error:delay.too_long@d.amount'],
    ],
    [
      'liquid syntax',
      g(
        [
          ['t', 'trigger'],
          ['m', 'send_email', { subject: 'Hi {{ customer.name', body: 'b' }],
          ['x', 'exit'],
        ],
        [
          ['t', 'm'],
          ['m', 'x'],
        ],
      ),
      ['error:liquid.syntax@m.subject'],
    ],
    [
      'liquid unknown var',
      g(
        [
          ['t', 'trigger'],
          ['m', 'send_email', { subject: 'Hi {{ custmer.name }}', body: 'b' }],
          ['x', 'exit'],
        ],
        [
          ['t', 'm'],
          ['m', 'x'],
        ],
      ),
      ['error:liquid.unknown_variable@m.subject'],
    ],
    [
      'split not 100',
      g(
        [
          ['t', 'trigger'],
          [
            's',
            'ab_split',
            {
              variants: [
                { id: 'a', percent: 50 },
                { id: 'b', percent: 40 },
              ],
            },
          ],
          ['x', 'exit'],
        ],
        [
          ['t', 's'],
          ['s', 'x', 'a'],
          ['s', 'x', 'b'],
        ],
      ),
      ['error:split.weights@s.variants'],
    ],
    [
      'bad rule root',
      g(
        [
          [
            't',
            'trigger',
            {
              start: { kind: 'event', eventType: 'order.placed', filter: { field: 'cart.x', op: 'exists' } },
            },
          ],
          ['x', 'exit'],
        ],
        [['t', 'x']],
      ),
      ['error:rule.invalid@t.start.filter'],
    ],
    [
      'date trigger with order scope',
      g(
        [
          ['t', 'trigger', { start: { kind: 'date' } }],
          ['x', 'exit'],
        ],
        [['t', 'x']],
      ),
      ['error:trigger.invalid@t.scope'],
    ],
  ])('%s', (_name, graph, expected) => {
    const r = compileJourney(graph);
    expect(r.ok).toBe(false);
    expect(codes(r.diagnostics)).toEqual(expected);
  });
});
