import { type OutputScope, type PreparedNode, prepareNode } from './compile-node';
import type { NodeRegistry } from './define-node';
import type { Diagnostic } from './diagnostics';
import { GraphNode } from './graph';
import { type AvailableOutput, type OutputNode, outputFields, outputScopes, STEP_NAME } from './outputs';

// Step names and the outputs that reach each node, worked out before nodes compile (their template
// and rule checks need them). Shared by the compiler and the editor's autocomplete.

/** The step name of a node that produces an output: its own `name`, else its type's default. */
export function stepName(prepared: PreparedNode): string | null {
  const spec = prepared.def?.output;
  return spec ? (prepared.node.data.name ?? spec.name) : null;
}

/**
 * Scopes of every node reachable from the trigger (nodes out of reach get none), and diagnostics for
 * step names that are malformed or used twice (on the later node, field `name`).
 */
export function scopesOf(
  prepared: readonly PreparedNode[],
  rawEdges: readonly unknown[],
  triggerId: string | undefined,
  diagnostics: Diagnostic[],
): Map<string, OutputScope> {
  const taken = new Set<string>();
  const nodes: OutputNode[] = prepared.map((p) => {
    const name = stepName(p);
    const spec = p.def?.output;
    if (!spec || name === null) return { node: p.node, produces: null };
    const bad = !STEP_NAME.test(name)
      ? `Step name "${name}" must start with a letter and use only a–z, 0–9 and _ (at most 40)`
      : taken.has(name)
        ? `Another step is already named "${name}": give this one its own name`
        : null;
    if (bad) {
      const code = taken.has(name) ? 'node.name_duplicate' : 'node.name_invalid';
      diagnostics.push({ nodeId: p.node.id, field: 'name', code, message: bad, severity: 'error' });
      return { node: p.node, produces: null };
    }
    taken.add(name);
    const guaranteed = p.ok && (spec.guaranteed?.(p.config) ?? true);
    const label = p.node.data.label ?? p.def!.label;
    const schema = spec.schema ?? (p.ok && spec.schemaFor ? spec.schemaFor(p.config) : null);
    const fields = schema ? outputFields(schema) : [];
    return { node: p.node, produces: { name, label, fields, guaranteed } };
  });
  const edges = rawEdges.flatMap((e) => {
    const { source, target } = (e ?? {}) as { source?: unknown; target?: unknown };
    return typeof source === 'string' && typeof target === 'string' ? [{ source, target }] : [];
  });
  const scopes = triggerId ? outputScopes(nodes, edges, triggerId) : new Map<string, AvailableOutput[]>();
  const journeyOutputs: AvailableOutput[] = nodes.flatMap((n) =>
    n.produces ? [{ ...n.produces, nodeId: n.node.id, guaranteed: false }] : [],
  );
  const messageSteps = prepared.flatMap((p) => (p.def?.sendsMessage ? [p.node.id] : []));
  const out = new Map<string, OutputScope>();
  for (const p of prepared)
    out.set(p.node.id, { outputs: scopes.get(p.node.id) ?? [], journeyOutputs, messageSteps });
  return out;
}

/**
 * The step outputs each node of a canvas graph can read (for the editor's autocomplete): the same
 * analysis as the compiler's, on whatever part of the graph is well-formed.
 */
export function graphOutputScopes(
  graph: { nodes: readonly unknown[]; edges: readonly unknown[] },
  registry: NodeRegistry,
): Map<string, OutputScope> {
  const ignored: Diagnostic[] = [];
  const prepared = graph.nodes.flatMap((raw) => {
    const parsed = GraphNode.safeParse(raw);
    return parsed.success ? [prepareNode(parsed.data, registry, ignored)] : [];
  });
  const trigger = prepared.find((p) => p.def?.category === 'trigger');
  return scopesOf(prepared, graph.edges, trigger?.node.id, ignored);
}
