import type { Graph } from '@hourglass/journey';
import type { NodeKind } from '../registry';

/** A ready-made journey the product ships (the seeds' flows). */
export interface JourneyTemplate {
  id: string;
  name: string;
  description: string;
  graph: Graph;
}

/** Small builder so templates read as a list of steps; lays nodes out left-to-right by depth. */
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
      const depth = new Map<string, number>([[nodes[0]?.id ?? '', 0]]);
      for (let changed = true, guard = 0; changed && guard < nodes.length; guard++) {
        changed = false;
        for (const e of edges) {
          const d = (depth.get(e.source) ?? 0) + 1;
          if (!depth.has(e.target) && depth.has(e.source)) {
            depth.set(e.target, d);
            changed = true;
          }
        }
      }
      const perColumn = new Map<number, number>();
      for (const n of nodes) {
        const col = depth.get(n.id) ?? 0;
        const row = perColumn.get(col) ?? 0;
        perColumn.set(col, row + 1);
        n.position = { x: col * 280, y: row * 160 };
      }
      return { nodes, edges };
    },
  };
  return api;
}
