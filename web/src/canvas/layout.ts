import dagre from '@dagrejs/dagre';
import type { Edge } from '@xyflow/react';
import { type JourneyNode, NODE_HEIGHT, NODE_WIDTH } from './graph';

/** Top-to-bottom layout (Klaviyo / Braze style): the trigger on top, branches side by side. */
export function layoutGraph<N extends JourneyNode>(nodes: readonly N[], edges: readonly Edge[]): N[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, {
      width: n.measured?.width ?? NODE_WIDTH,
      height: n.measured?.height ?? NODE_HEIGHT,
    });
  }
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    if (!p) return n;
    return { ...n, position: { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) } };
  });
}
