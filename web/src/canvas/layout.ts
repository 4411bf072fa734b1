import type { Edge } from '@xyflow/react';
import type { ELK, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import { type JourneyNode, NODE_HEIGHT, nodeWidth, portsOf } from './graph';

/** Vertical room of a node's port labels when it has several outputs (before it is measured). */
const PORT_LABELS_HEIGHT = 44;

const portId = (node: string, port: string) => `${node}\u0000${port}`;
const IN = 'in';

// ELK is 1.6 MB of compiled Java: loaded on the first layout, not with the editor.
let engine: Promise<ELK> | null = null;
const elk = () => {
  engine ??= import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
  return engine;
};

/**
 * The ELK graph of a journey: every node has one input on top and its outputs at the bottom in the
 * order the node draws them, so the layered algorithm keeps each child under its own port.
 */
export function toElk(nodes: readonly JourneyNode[], edges: readonly Edge[]): ElkNode {
  const outsOf = new Map(nodes.map((n) => [n.id, portsOf(n.type ?? '', n.data.config)]));
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '60',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.edgeNode': '30',
      'elk.layered.spacing.edgeNodeBetweenLayers': '30',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
      // Same graph, same picture: ties are broken by the order steps were added.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: nodes.map((n) => {
      const outs = outsOf.get(n.id) ?? [];
      const width = n.measured?.width ?? nodeWidth(outs.length);
      const height = n.measured?.height ?? NODE_HEIGHT + (outs.length > 1 ? PORT_LABELS_HEIGHT : 0);
      // Handles sit in the middle of equal cells along the bottom edge (JourneyNode.tsx).
      const ports: ElkPort[] = outs.map((p, i) => ({
        id: portId(n.id, p.id),
        width: 1,
        height: 1,
        x: ((i + 0.5) / outs.length) * width,
        y: height,
        layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(outs.length - i) },
      }));
      ports.unshift({
        id: portId(n.id, IN),
        width: 1,
        height: 1,
        x: width / 2,
        y: 0,
        layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': '0' },
      });
      // FIXED_POS: the fixed order of FIXED_ORDER, plus the handles' real places, so edges come out straight.
      return { id: n.id, width, height, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
    }),
    // An edge from a port the node no longer has (a deleted case) is left out, not a layout error.
    edges: edges.flatMap((e) => {
      const outs = outsOf.get(e.source);
      const handle = e.sourceHandle ?? outs?.[0]?.id;
      if (!outs?.some((p) => p.id === handle) || !outsOf.has(e.target)) return [];
      return [{ id: e.id, sources: [portId(e.source, handle!)], targets: [portId(e.target, IN)] }];
    }),
  };
}

/**
 * Top-to-bottom layout (Klaviyo / Braze style): the trigger on top, and a branch's or wait's children
 * side by side in the order of its ports (first case on the left, "Everyone else" on the right).
 */
export async function layoutGraph<N extends JourneyNode>(
  nodes: readonly N[],
  edges: readonly Edge[],
): Promise<N[]> {
  if (nodes.length === 0) return [];
  const laid = await (await elk()).layout(toElk(nodes, edges));
  const at = new Map((laid.children ?? []).map((c) => [c.id, c]));
  return nodes.map((n) => {
    const p = at.get(n.id);
    if (p?.x === undefined || p.y === undefined) return n;
    return { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } };
  });
}
