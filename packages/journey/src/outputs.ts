import type { z } from 'zod';
import type { FieldKind } from './field-catalog';
import type { GraphNode } from './graph';

// Step outputs: what an action node produces for the steps after it (`steps.<name>.<field>` in
// templates and rules), and which outputs reach each node. An output reaches a node for sure only
// when every path from the trigger to it passes through the producing node and that node cannot
// continue without producing it (its failure policy exits the run).

/** A step name as templates and rules write it: `steps.<name>.<field>`. */
export const STEP_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Largest output an action may record (bytes of its JSON); past it the step fails with `output.too_large`. */
export const MAX_OUTPUT_BYTES = 16 * 1024;

/** A node type's output: fields later steps read, and the step name nodes of that type start with. */
export interface OutputSpec<C = unknown> {
  /** A zod object: the runtime's output is validated against it before it is recorded. */
  schema?: z.ZodObject;
  /** Instead of `schema`, when the fields depend on the config (a webhook's mapped fields). */
  // Method syntax on purpose: bivariant, so any node's spec fits `AnyNodeDefinition`.
  schemaFor?(config: C): z.ZodObject;
  /** Default step name (`discount`); each node can be renamed in the inspector. */
  name: string;
  /** Whether the output surely exists after the node with this config (default: always). */
  // Method syntax on purpose: bivariant, so any node's spec fits `AnyNodeDefinition`.
  guaranteed?(config: C): boolean;
}

/** One field of an output, typed like a rule field. */
export interface OutputField {
  key: string;
  kind: FieldKind;
  description: string;
}

/** An output that may reach a node: who makes it and whether it surely exists there. */
export interface AvailableOutput {
  name: string;
  nodeId: string;
  label: string;
  fields: readonly OutputField[];
  /** Produced on every path from the trigger to this node. */
  guaranteed: boolean;
}

type ZodDef = { type?: string; format?: string; innerType?: unknown; element?: unknown };
const defOf = (t: unknown): ZodDef => ((t as { _zod?: { def?: ZodDef } })._zod?.def ?? {}) as ZodDef;

/** The rule kind of a zod field: text, date (ISO strings), number, tags (string lists), else any. */
export function zodFieldKind(schema: unknown): FieldKind {
  let def = defOf(schema);
  while (['optional', 'nullable', 'default', 'readonly'].includes(def.type ?? '')) def = defOf(def.innerType);
  if (def.type === 'string') return def.format === 'datetime' || def.format === 'date' ? 'date' : 'text';
  if (def.type === 'number' || def.type === 'int') return 'number';
  if (def.type === 'array' && defOf(def.element).type === 'string') return 'tags';
  return 'any';
}

/** The fields of an output schema, in declaration order. */
export function outputFields(schema: z.ZodObject): OutputField[] {
  return Object.entries(schema.shape).map(([key, t]) => ({
    key,
    kind: zodFieldKind(t),
    description: (t as { description?: string }).description ?? '',
  }));
}

/** What the availability analysis needs to know about one node. */
export interface OutputNode {
  node: GraphNode;
  /** The node's output and whether its config guarantees it; null when it produces nothing. */
  produces: { name: string; label: string; fields: readonly OutputField[]; guaranteed: boolean } | null;
}

/**
 * For every node reachable from `start`, the outputs that may reach it (before it runs), each marked
 * guaranteed when every path from the trigger passes through its producer. Two fixpoints over the
 * edges: "may" (union over predecessors) and "must" (intersection), so loops are handled.
 */
export function outputScopes(
  nodes: readonly OutputNode[],
  edges: ReadonlyArray<{ source: string; target: string }>,
  start: string,
): Map<string, AvailableOutput[]> {
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const succ = new Map<string, string[]>();
  const preds = new Map<string, string[]>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target) || e.target === start) continue;
    succ.set(e.source, [...(succ.get(e.source) ?? []), e.target]);
    preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);
  }
  // Reachable nodes in breadth-first order (a good order for both fixpoints).
  const order = [start];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const n of succ.get(order[i]!) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      order.push(n);
    }
  }
  const producers = order.filter((id) => byId.get(id)?.produces);
  const may = new Map<string, Set<string>>(order.map((id) => [id, new Set()]));
  const must = new Map<string, Set<string>>(order.map((id) => [id, new Set(id === start ? [] : producers)]));
  const after = (id: string, set: Set<string>, guaranteedOnly: boolean) => {
    const p = byId.get(id)?.produces;
    return p && (!guaranteedOnly || p.guaranteed) ? new Set([...set, id]) : set;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order) {
      if (id === start) continue;
      const ps = (preds.get(id) ?? []).filter((p) => seen.has(p));
      const nextMay = new Set<string>();
      let nextMust = null as Set<string> | null;
      for (const p of ps) {
        for (const x of after(p, may.get(p)!, false)) nextMay.add(x);
        const out = after(p, must.get(p)!, true);
        nextMust = nextMust ? new Set([...nextMust].filter((x) => out.has(x))) : out;
      }
      nextMust ??= new Set();
      if (nextMay.size !== may.get(id)!.size || nextMust.size !== must.get(id)!.size) changed = true;
      may.set(id, nextMay);
      must.set(id, nextMust);
    }
  }
  const scopes = new Map<string, AvailableOutput[]>();
  for (const id of order) {
    const sure = must.get(id)!;
    scopes.set(
      id,
      [...may.get(id)!].map((pid) => {
        const p = byId.get(pid)!.produces!;
        return { name: p.name, nodeId: pid, label: p.label, fields: p.fields, guaranteed: sure.has(pid) };
      }),
    );
  }
  return scopes;
}

/** Why reading `steps.<name>.<field>` at a node fails, or null. `optional`: a default or check is given. */
export function outputRefProblem(
  available: readonly AvailableOutput[],
  segments: readonly string[],
  optional: boolean,
): { code: 'output.unknown' | 'output.unavailable' | 'output.unknown_field'; message: string } | null {
  const [, name, field] = segments;
  const path = segments.join('.');
  if (!name) return { code: 'output.unknown', message: '"steps" needs a step name: steps.<name>.<field>' };
  const matches = available.filter((o) => o.name === name);
  if (matches.length === 0) {
    const names = [...new Set(available.map((o) => o.name))];
    const hint = names.length
      ? ` (before this step: ${names.join(', ')})`
      : ' (no step before this one has an output)';
    return { code: 'output.unknown', message: `No step named "${name}" comes before this one${hint}` };
  }
  if (field !== undefined && !matches.every((o) => o.fields.some((f) => f.key === field))) {
    const keys = matches[0]!.fields.map((f) => f.key).join(', ');
    return {
      code: 'output.unknown_field',
      message: `"${path}": step "${name}" has no field "${field}" (it has ${keys})`,
    };
  }
  if (!optional && !matches.some((o) => o.guaranteed)) {
    return {
      code: 'output.unavailable',
      message: `"${path}" is not produced on every path to this step (or its step may fail and continue): give it a default, e.g. {{ ${path} | default: "" }}, or make the step exit on failure`,
    };
  }
  return null;
}
