import { Graph, GraphNode, JourneyFile, type NodeDefinition, NodeId } from '@hourglass/journey';
import { builtinNodes } from '@hourglass/nodes';
import { z } from 'zod';

// The journey graph's nodes as the API documents them: one member per registered node kind, its
// `data.config` typed by the kind's own schema (fields, descriptions, defaults). Generated from the
// node registry, so a new node type is documented by registering it.

const pascal = (kind: string) =>
  kind
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** Names of a node kind's schemas in the OpenAPI document (`send_email` → SendEmailNode, SendEmailConfig). */
export function nodeComponentNames(kind: string): { node: string; config: string } {
  return { node: `${pascal(kind)}Node`, config: `${pascal(kind)}Config` };
}

/** "`out` (Next), `else` (Everyone else)": the kind's output ports for its default config. */
function portList(def: NodeDefinition<string, unknown>): string {
  const ports = def.ports(def.config.parse({}));
  if (ports.length === 0) return 'none (the journey ends here)';
  return ports.map((p) => `\`${p.id}\` (${p.label}${p.required ? ', must be connected' : ''})`).join(', ');
}

const documented: Array<{ kind: string; config: z.ZodType; node: z.ZodType }> = [];

/** A graph node of one kind: `type` fixed to the kind, `data.config` its config schema. */
function kindNode<K extends string>(def: NodeDefinition<K, unknown>) {
  const node = z
    .object({
      id: NodeId,
      type: z.literal(def.kind).describe('Node kind'),
      position: GraphNode.shape.position.describe('Where the node sits on the canvas'),
      data: z.object({
        config: def.config
          .optional()
          .describe('The node\'s settings; every field left out takes its default ("{}" = all defaults)'),
        version: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe(`Version of the node type the config was written for (current: ${def.version}; omit it)`),
        label: z.string().max(200).optional().describe('Name shown on the canvas and in run timelines'),
      }),
    })
    .describe(
      `${def.label}: ${def.description} Output ports (an edge's sourceHandle), with the default config: ${portList(def)}.`,
    );
  documented.push({ kind: def.kind, config: def.config, node });
  return node;
}

const [first, ...rest] = builtinNodes;

/**
 * A journey node, by kind (`type`). What the API documents for graph nodes; drafts are stored as drawn,
 * so the routes accept any node (`GraphNode`) and report what does not fit here as diagnostics.
 */
export const JourneyNode = z.discriminatedUnion('type', [kindNode(first), ...rest.map((d) => kindNode(d))]);
export type JourneyNode = z.infer<typeof JourneyNode>;

/** Each registered kind with its config schema and documented node schema, in palette order. */
export const JOURNEY_NODE_KINDS: ReadonlyArray<{
  kind: string;
  config: z.ZodType;
  node: z.ZodType;
  names: { node: string; config: string };
}> = documented.map((d) => ({ ...d, names: nodeComponentNames(d.kind) }));

/** A journey graph as documented: nodes by kind, edges from a node's output port to another node. */
export const JourneyGraph = Graph.extend({ nodes: z.array(JourneyNode) });
export type JourneyGraph = z.infer<typeof JourneyGraph>;

/** The journey file format (export / import) as documented: its graph's nodes by kind. */
export const DocumentedJourneyFile = JourneyFile.extend({ graph: JourneyGraph });
