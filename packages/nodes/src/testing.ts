import type { Graph } from '@hourglass/journey';

type NodeSpec = [id: string, type: string, config?: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, port?: string | null];

/** Terse graph literal for tests: `g([['t','trigger'],['e','exit']], [['t','e']])`. */
export function g(nodes: NodeSpec[], edges: EdgeSpec[] = []): Graph {
  return {
    nodes: nodes.map(([id, type, config]) => ({
      id,
      type,
      position: { x: 0, y: 0 },
      data: { config: config ?? {} },
    })),
    edges: edges.map(([source, target, port], i) => ({
      id: `e${i}`,
      source,
      target,
      sourceHandle: port === undefined ? 'out' : port,
    })),
  };
}
