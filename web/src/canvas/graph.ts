import type { Diagnostic, Graph } from '@hourglass/journey';
import { builtinRegistry } from '@hourglass/nodes';
import type { Edge, FitViewOptions, Node } from '@xyflow/react';

/** Node `data`: serializable config only (STYLE.md), exactly what the graph schema stores. */
export type JourneyNodeData = {
  config: Record<string, unknown>;
  version?: number;
  label?: string;
  /** Step name later steps read this node's output by (`steps.<name>`); nodes with an output only. */
  name?: string;
};
export type JourneyNode = Node<JourneyNodeData>;

/** Canvas nodes have a fixed width so layout and handles line up. */
export const NODE_WIDTH = 260;
export const NODE_HEIGHT = 76;
/** Room each output gets on a node with several, so a label such as "First purchase over $100" fits. */
export const PORT_WIDTH = 112;
/** Width of a node with `ports` outputs: NODE_WIDTH, or wider when its labelled ports need the room. */
export const nodeWidth = (ports: number) => Math.max(NODE_WIDTH, ports > 1 ? ports * PORT_WIDTH : 0);
/** Fit-to-view margins; the right one keeps every step clear of the minimap in the bottom-right corner. */
export const FIT_VIEW: FitViewOptions = {
  padding: { top: '40px', bottom: '40px', left: '40px', right: '200px' },
  maxZoom: 1,
};

/** What a screen reader announces for a focused node (nodes are focusable; Enter selects). */
export const nodeAriaLabel = (kind: string, label?: string) =>
  `${label || builtinRegistry.get(kind)?.label || kind} step`;

/** React Flow nodes/edges from a saved graph. */
export function fromGraph(graph: Graph): { nodes: JourneyNode[]; edges: Edge[] } {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      position: n.position,
      data: n.data,
      ariaLabel: nodeAriaLabel(n.type, n.data.label),
    })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle ?? null,
      target: e.target,
    })),
  };
}

/** The saved graph: React Flow's extra keys (measured, selected, dragging…) dropped. */
export function toGraph(nodes: readonly JourneyNode[], edges: readonly Edge[]): Graph {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.type ?? 'unknown',
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      data: n.data,
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle ?? null,
      target: e.target,
    })),
  };
}

/** Default config of a node kind (schema defaults), `{}` when the schema needs input. */
export function defaultConfig(kind: string): Record<string, unknown> {
  const parsed = builtinRegistry.get(kind)?.config.safeParse({});
  return parsed?.success ? (parsed.data as Record<string, unknown>) : {};
}

/** A fresh node id for a kind: readable in diagnostics, unique enough for one graph. */
export function newNodeId(kind: string, taken: ReadonlySet<string>): string {
  for (;;) {
    const id = `${kind}_${Math.random().toString(36).slice(2, 6)}`;
    if (!taken.has(id)) return id;
  }
}

/** Output ports of a node from its current config (fixed or derived, e.g. one per branch case). */
export function portsOf(kind: string, config: unknown): readonly { id: string; label: string }[] {
  const def = builtinRegistry.get(kind);
  if (!def) return [];
  const parsed = def.config.safeParse(config ?? {});
  try {
    // A config being edited may be briefly invalid (an empty field): keep its ports drawn meanwhile.
    return def.ports(parsed.success ? parsed.data : config) ?? [];
  } catch {
    return [];
  }
}

/** Diagnostics grouped by node id (graph-level ones under ""). */
export function groupByNode(diagnostics: readonly Diagnostic[]): Record<string, Diagnostic[]> {
  const out: Record<string, Diagnostic[]> = {};
  for (const d of diagnostics) {
    const key = d.nodeId ?? '';
    const list = out[key] ?? [];
    list.push(d);
    out[key] = list;
  }
  return out;
}

/** True when most edges do not point downwards: a graph laid out left-to-right (seeded templates). */
export function needsLayout(graph: Graph): boolean {
  const pos = new Map(graph.nodes.map((n) => [n.id, n.position]));
  let sideways = 0;
  for (const e of graph.edges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (a && b && b.y <= a.y + 20) sideways++;
  }
  return graph.edges.length > 0 && sideways * 2 > graph.edges.length;
}
