import { graphBuilder, templates } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { fromGraph, type JourneyNode } from './graph';
import { layoutGraph } from './layout';

const xOf = (nodes: JourneyNode[], id: string) => nodes.find((n) => n.id === id)!.position.x;
const yOf = (nodes: JourneyNode[], id: string) => nodes.find((n) => n.id === id)!.position.y;

describe('layoutGraph (ELK)', () => {
  it('puts each child of a wait under its own port: Happened left, Timed out right', async () => {
    for (const [id, happened, timedOut] of [
      ['order_updates', 'shipped', 'no_ship'],
      ['review_request', 'reviewed', 'nudge'],
    ] as const) {
      const g = fromGraph(templates.find((t) => t.id === id)!.graph);
      const laid = await layoutGraph(g.nodes, g.edges);
      expect(xOf(laid, happened), id).toBeLessThan(xOf(laid, timedOut));
      expect(yOf(laid, happened), id).toBeGreaterThan(yOf(laid, 'trigger'));
    }
  });

  it('orders a branch by its cases, whatever order the edges were drawn in', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger')
      .node('who', 'branch', {
        cases: [
          { id: 'first', label: 'First-time customers', when: { kind: 'segment', segmentId: 'a' } },
          { id: 'loyal', label: 'Loyal customers', when: { kind: 'segment', segmentId: 'b' } },
        ],
      })
      .node('c_else', 'exit')
      .node('c_loyal', 'exit')
      .node('c_first', 'exit')
      .edge('trigger', 'who')
      .edge('who', 'c_else', 'else')
      .edge('who', 'c_loyal', 'loyal')
      .edge('who', 'c_first', 'first')
      .build();
    // Scrambled start positions: the layout must not depend on them.
    for (const n of graph.nodes) n.position = { x: (n.id.length * 997) % 500, y: 0 };
    const g = fromGraph(graph);
    const laid = await layoutGraph(g.nodes, g.edges);
    const xs = ['c_first', 'c_loyal', 'c_else'].map((id) => xOf(laid, id));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(3);
  });

  it('survives an edge from a port that no longer exists and an empty canvas', async () => {
    const g = fromGraph(templates.find((t) => t.id === 'thank_you')!.graph);
    const edges = [...g.edges, { id: 'stale', source: 'who', sourceHandle: 'deleted_case', target: 'done' }];
    expect(await layoutGraph(g.nodes, edges)).toHaveLength(g.nodes.length);
    expect(await layoutGraph([], [])).toEqual([]);
  });
});
