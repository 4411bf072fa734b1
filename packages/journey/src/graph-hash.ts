import type { Graph } from './graph';
import { sha256Hex } from './hash';
import { canonicalJson } from './json';

/**
 * Hash of what a graph does, for "does the draft differ from the live version": node positions are
 * left out (moving a step changes no customer's journey, and the version diff ignores them too), and
 * the order of nodes and edges in the arrays does not count. Same hash in the browser and the API.
 */
export function graphContentHash(graph: Graph): string {
  const nodes = graph.nodes
    .map((n) => ({ id: n.id, type: n.type, data: n.data }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const edges = graph.edges.map((e) => `${e.source}\u0000${e.sourceHandle ?? ''}\u0000${e.target}`).sort();
  return sha256Hex(canonicalJson({ nodes, edges }));
}
