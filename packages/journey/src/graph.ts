import { z } from 'zod';

// The graph is what the canvas saves. Unknown keys React Flow adds (measured, selected…) are stripped.

/** A node id: no `#` (reserved for step ids), no whitespace. */
export const NodeId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^#\s]+$/, 'node ids may not contain "#" or whitespace');
export type NodeId = z.infer<typeof NodeId>;

/** A canvas node: `type` is the node kind, `data.version` the node-type version its config was written for. */
export const GraphNode = z.object({
  id: NodeId,
  type: z.string().min(1).max(100),
  position: z.object({ x: z.number(), y: z.number() }),
  data: z.object({
    // Config is checked for JSON-ness separately (iteratively) before zod looks inside it.
    config: z.record(z.string(), z.unknown()).default({}),
    version: z.number().int().min(1).optional(),
    label: z.string().max(200).optional(),
    /** Step name later steps read this node's output by (`steps.<name>`); default: the type's. */
    name: z.string().max(100).optional(),
  }),
});
export type GraphNode = z.infer<typeof GraphNode>;

/** An edge from a node's output port (`sourceHandle`; null = the node's only port) to another node. */
export const GraphEdge = z.object({
  id: z.string().min(1).max(200),
  source: z.string(),
  sourceHandle: z.string().nullish(),
  target: z.string(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

/** A journey graph as drawn on the canvas. */
export const Graph = z.object({
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
});
export type Graph = z.infer<typeof Graph>;

/** Largest graph the compiler accepts; beyond it nobody can read the canvas anyway. */
export const GRAPH_LIMITS = { maxNodes: 10_000, maxEdges: 40_000 } as const;
