import { Plan } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { actionRuntimes } from './actions';
import { nodeFixtures } from './fixtures';
import { builtinNodes, compileJourney, type NodeKind } from './registry';
import { g } from './testing';
import { nodeUis } from './ui';

// Walks every registered node type: a new node that skips a piece fails here.
describe.each(builtinNodes.map((d) => [d.kind, d] as const))('node %s', (kind, def) => {
  it('has defaults that parse, labels on every field, and at least one fixture', () => {
    const config = def.config.parse({});
    expect(config).toBeTypeOf('object');
    expect(def.version).toBeGreaterThanOrEqual(1);
    expect(nodeFixtures[kind as NodeKind].length).toBeGreaterThan(0);
  });
  it('compiles each fixture inside a minimal journey', () => {
    for (const config of nodeFixtures[kind as NodeKind]) {
      const graph =
        kind === 'trigger'
          ? g(
              [
                ['t', 'trigger', config],
                ['x', 'exit'],
              ],
              [['t', 'x']],
            )
          : g(
              [
                ['t', 'trigger'],
                ['n', kind, config],
              ],
              [['t', 'n']],
            );
      const r = compileJourney(graph, { knownSegments: ['seg_vip'] });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.ok).toBe(true);
      if (r.ok) expect(Plan.parse(r.plan)).toEqual(r.plan);
    }
  });
  it('has a runtime for every action and a canvas summary', () => {
    for (const action of def.actions) expect(Object.keys(actionRuntimes)).toContain(action);
    const summary = (nodeUis[kind as NodeKind].summary as (c: unknown) => string)(
      def.config.parse(nodeFixtures[kind as NodeKind][0]),
    );
    expect(summary.length).toBeGreaterThan(0);
  });
});
