import { describe, expect, it } from 'vitest';
import type { Graph } from './graph';
import { graphContentHash } from './graph-hash';

const graph: Graph = {
  nodes: [
    { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { config: { scope: 'order' } } },
    { id: 'x', type: 'exit', position: { x: 0, y: 200 }, data: { config: {}, label: 'Done' } },
  ],
  edges: [{ id: 'e1', source: 't', sourceHandle: 'out', target: 'x' }],
};

describe('graphContentHash', () => {
  it('ignores positions, array order, key order and edge ids', () => {
    const moved: Graph = {
      nodes: [
        { id: 'x', type: 'exit', position: { x: 400, y: 9 }, data: { label: 'Done', config: {} } },
        { id: 't', type: 'trigger', position: { x: 5, y: 5 }, data: { config: { scope: 'order' } } },
      ],
      edges: [{ id: 'renamed', source: 't', sourceHandle: 'out', target: 'x' }],
    };
    expect(graphContentHash(moved)).toBe(graphContentHash(graph));
  });

  it('changes with a config value, a label, an edge or a node', () => {
    const base = graphContentHash(graph);
    const changed = structuredClone(graph);
    changed.nodes[0]!.data.config.scope = 'customer';
    expect(graphContentHash(changed)).not.toBe(base);
    const relabelled = structuredClone(graph);
    relabelled.nodes[1]!.data.label = 'Finished';
    expect(graphContentHash(relabelled)).not.toBe(base);
    expect(graphContentHash({ ...graph, edges: [] })).not.toBe(base);
    expect(graphContentHash({ ...graph, nodes: graph.nodes.slice(0, 1) })).not.toBe(base);
  });
});
