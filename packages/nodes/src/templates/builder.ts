import type { Graph } from '@hourglass/journey';
import type { NodeKind } from '../registry';
import { layOutTopDown } from './layout';

/** A ready-made journey the product ships (the seeds' flows). */
export interface JourneyTemplate {
  id: string;
  name: string;
  description: string;
  graph: Graph;
}

/** Small builder so templates read as a list of steps; lays them out top to bottom in port order. */
export function graphBuilder() {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  const api = {
    node(id: string, type: NodeKind, config: Record<string, unknown> = {}, label?: string) {
      nodes.push({
        id,
        type,
        position: { x: 0, y: 0 },
        data: { config, version: 1, ...(label ? { label } : {}) },
      });
      return api;
    },
    /** Names the step whose output later steps read as `steps.<name>` (default: its type's). */
    stepName(id: string, name: string) {
      const n = nodes.find((x) => x.id === id);
      if (n) n.data = { ...n.data, name };
      return api;
    },
    edge(source: string, target: string, sourceHandle = 'out') {
      edges.push({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });
      return api;
    },
    build(): Graph {
      layOutTopDown(nodes, edges);
      return { nodes, edges };
    },
  };
  return api;
}
