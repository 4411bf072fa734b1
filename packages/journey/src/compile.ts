import { type CompiledNode, compileNode, PORT_TOKEN, type PreparedNode, prepareNode } from './compile-node';
import { scopesOf, stepName } from './compile-outputs';
import { cyclicComponents } from './cycles';
import type { CompileOptions, NodeRegistry, TriggerSpec } from './define-node';
import { type Diagnostic, hasErrors, issuePath } from './diagnostics';
import { GRAPH_LIMITS, GraphEdge, GraphNode } from './graph';
import { sha256Hex } from './hash';
import { canonicalize, jsonProblem } from './json';
import { mapNext, nextStepIds, type Plan, type Step } from './plan';

/** Options of `compileJourney`: the node registry plus workspace facts. */
export type CompileJourneyOptions = CompileOptions & { registry: NodeRegistry };

/** Result of compiling: a plan (with warnings) or every diagnostic found. */
export type CompileResult =
  | { ok: true; plan: Plan; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

const err = (
  nodeId: string | null,
  code: Diagnostic['code'],
  message: string,
  extra: Partial<Diagnostic> = {},
) => ({ nodeId, code, message, severity: 'error', ...extra }) satisfies Diagnostic;

/**
 * Compiles a canvas graph into a plan. Total: accepts any value, never throws, always returns either a
 * plan or diagnostics. Same graph → byte-identical plan JSON and hash; positions and labels don't matter.
 */
export function compileJourney(graph: unknown, options: CompileJourneyOptions): CompileResult {
  try {
    return compileUnchecked(graph, options);
  } catch (e) {
    const message = `Internal compiler error: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, diagnostics: [err(null, 'internal.error', message)] };
  }
}

function rawId(value: unknown): string | null {
  if (value !== null && typeof value === 'object' && 'id' in value && typeof value.id === 'string')
    return value.id;
  return null;
}

function compileUnchecked(input: unknown, options: CompileJourneyOptions): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const fail = (): CompileResult => ({ ok: false, diagnostics });
  if (input === null || typeof input !== 'object') {
    return { ok: false, diagnostics: [err(null, 'graph.invalid', 'A journey graph must be an object')] };
  }
  const { nodes: rawNodes, edges: rawEdges } = input as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(rawNodes) || !Array.isArray(rawEdges)) {
    return {
      ok: false,
      diagnostics: [err(null, 'graph.invalid', 'A journey graph needs `nodes` and `edges` lists')],
    };
  }
  if (rawNodes.length > GRAPH_LIMITS.maxNodes || rawEdges.length > GRAPH_LIMITS.maxEdges) {
    const message = `Graph too large (max ${GRAPH_LIMITS.maxNodes} nodes, ${GRAPH_LIMITS.maxEdges} edges)`;
    return { ok: false, diagnostics: [err(null, 'graph.too_large', message)] };
  }

  // 1. Nodes: structure, ids and config; then step names and the outputs reaching each node (for
  // their template and rule checks); then each node's own compile.
  const byId = new Map<string, CompiledNode | null>(); // null = present but structurally broken
  const prepared: PreparedNode[] = [];
  for (const raw of rawNodes) {
    const id = rawId(raw);
    if (id !== null && byId.has(id)) {
      diagnostics.push(err(id, 'node.duplicate_id', `Another node already has id "${id}"`));
      continue;
    }
    const problem = jsonProblem(raw);
    const parsed = problem ? null : GraphNode.safeParse(raw);
    if (!parsed?.success) {
      if (problem) {
        const field = problem.path.replace(/^data\.config\.?/, '') || undefined;
        diagnostics.push(
          err(id, 'config.invalid', `Not valid JSON: ${problem.message}`, field ? { field } : {}),
        );
      }
      for (const issue of parsed?.error?.issues ?? []) {
        diagnostics.push(err(id, 'graph.invalid', `Node ${issuePath(issue.path) ?? ''}: ${issue.message}`));
      }
      if (id !== null) byId.set(id, null);
      continue;
    }
    byId.set(parsed.data.id, null);
    prepared.push(prepareNode(parsed.data, options.registry, diagnostics));
  }
  const firstTrigger = prepared.find((p) => p.def?.category === 'trigger');
  const scopes = scopesOf(prepared, rawEdges, firstTrigger?.node.id, diagnostics);
  const order: CompiledNode[] = [];
  for (const p of prepared) {
    const scope = scopes.get(p.node.id)!;
    const compiled = compileNode(p, options, scope, options.registry.validateSteps, diagnostics);
    byId.set(p.node.id, compiled);
    order.push(compiled);
  }

  // 2. Edges: endpoints, ports, fan-out. `outs` maps node → port → target node id.
  const outs = new Map<string, Map<string, string>>();
  const adjacency = new Map<string, string[]>();
  const edgeIds = new Set<string>();
  for (const raw of rawEdges) {
    const problem = jsonProblem(raw, { maxDepth: 4, maxValues: 100 });
    const parsed = problem ? null : GraphEdge.safeParse(raw);
    if (!parsed?.success) {
      const message = problem ? `Edge is not valid JSON: ${problem.message}` : 'Edge is malformed';
      diagnostics.push(err(null, 'graph.invalid', message, rawId(raw) ? { edgeId: rawId(raw)! } : {}));
      continue;
    }
    const edge = parsed.data;
    if (edgeIds.has(edge.id)) {
      diagnostics.push(
        err(edge.source, 'edge.duplicate_id', `Another edge already has id "${edge.id}"`, {
          edgeId: edge.id,
        }),
      );
      continue;
    }
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (source === undefined || target === undefined) {
      const missing = source === undefined ? edge.source : edge.target;
      const nodeId = source === undefined ? null : edge.source;
      diagnostics.push(
        err(nodeId, 'edge.dangling', `Edge points to missing node "${missing}"`, { edgeId: edge.id }),
      );
      continue;
    }
    if (target?.def?.category === 'trigger') {
      diagnostics.push(
        err(edge.target, 'edge.into_trigger', 'Nothing can lead into a trigger', { edgeId: edge.id }),
      );
      continue;
    }
    const list = adjacency.get(edge.source);
    if (list) list.push(edge.target);
    else adjacency.set(edge.source, [edge.target]);
    if (!source?.ports) continue; // source already failed; its ports are unknown
    const handle = edge.sourceHandle ?? (source.ports.length === 1 ? source.ports[0]!.id : null);
    if (handle === null || !source.ports.some((p) => p.id === handle)) {
      const message = `Output "${edge.sourceHandle ?? '(none)'}" does not exist on this node`;
      diagnostics.push(err(edge.source, 'edge.unknown_port', message, { edgeId: edge.id }));
      continue;
    }
    let ports = outs.get(edge.source);
    if (!ports) {
      ports = new Map();
      outs.set(edge.source, ports);
    }
    if (ports.has(handle)) {
      const message = `Output "${handle}" is connected more than once; use a split or branch to fan out`;
      diagnostics.push(err(edge.source, 'port.multiple_edges', message, { edgeId: edge.id }));
      continue;
    }
    ports.set(handle, edge.target);
  }

  // 3. Exactly one trigger, and every node reachable from it.
  const triggers = order.filter((c) => c.def?.category === 'trigger');
  if (triggers.length === 0)
    diagnostics.push(err(null, 'trigger.missing', 'Add a trigger: every journey starts with one'));
  for (const extra of triggers.slice(1)) {
    diagnostics.push(err(extra.node.id, 'trigger.multiple', 'A journey has exactly one trigger'));
  }
  const reachable = new Set<string>();
  const trigger = triggers[0];
  if (trigger) {
    const queue = [trigger.node.id];
    reachable.add(trigger.node.id);
    for (let i = 0; i < queue.length; i++) {
      for (const next of adjacency.get(queue[i]!) ?? []) {
        if (!reachable.has(next)) {
          reachable.add(next);
          queue.push(next);
        }
      }
    }
    for (const c of order) {
      if (!reachable.has(c.node.id) && c.def?.category !== 'trigger') {
        diagnostics.push(
          err(c.node.id, 'node.unreachable', 'Not reachable from the trigger; connect it or delete it'),
        );
      }
    }
  }

  // 4. Link reachable nodes' drafts into steps; unconnected outputs become explicit ends.
  const steps = new Map<string, Step>();
  let spec: TriggerSpec | undefined;
  let startStep = '';
  for (const c of order) {
    if (!c.ok || !reachable.has(c.node.id) || !c.result || !c.ports) continue;
    const nodeId = c.node.id;
    const nodeOuts = outs.get(nodeId);
    for (const port of c.ports) {
      if (nodeOuts?.has(port.id)) continue;
      const message = port.required
        ? `Output "${port.label}" must be connected`
        : `Output "${port.label}" is not connected: the journey ends there`;
      diagnostics.push({
        nodeId,
        field: port.id,
        code: 'port.unconnected',
        message,
        severity: port.required ? 'error' : 'warning',
      });
    }
    const resolve = (ref: string): string => {
      if (!ref.startsWith(PORT_TOKEN)) return ref;
      const portId = ref.slice(PORT_TOKEN.length);
      const target = nodeOuts?.get(portId);
      if (target !== undefined) return target;
      const endId = `${nodeId}#end:${portId}`;
      if (!steps.has(endId))
        steps.set(endId, { type: 'end', id: endId, nodeId, reason: 'unconnected_output' });
      return endId;
    };
    if (c.result.trigger && c === trigger) {
      spec = c.result.trigger;
      startStep = resolve(spec.start);
    }
    // A node with an output keeps it under its step name (its act steps record it for later steps).
    const outputName = c.def?.output ? stepName({ node: c.node, def: c.def, config: null, ok: true }) : null;
    (c.result.steps ?? []).forEach((draft, i) => {
      const id = i === 0 ? nodeId : `${nodeId}#${i + 1}`;
      const named = outputName && draft.type === 'act' ? { ...draft, outputName } : draft;
      steps.set(id, mapNext({ ...named, id, nodeId } as Step, resolve));
    });
  }

  // 5. Cycles must pass through a sleep or await, or a run could spin without ever yielding.
  const ids = [...steps.keys()];
  const succ = (id: string) => {
    const s = steps.get(id);
    return s ? nextStepIds(s).filter((n) => steps.has(n)) : [];
  };
  for (const comp of cyclicComponents(ids, succ)) {
    if (comp.some((id) => steps.get(id)?.type === 'sleep' || steps.get(id)?.type === 'await')) continue;
    for (const nodeId of new Set(comp.map((id) => steps.get(id)!.nodeId))) {
      diagnostics.push(
        err(nodeId, 'cycle.without_wait', 'This loop has no delay or wait-for-event; add one'),
      );
    }
  }
  if (hasErrors(diagnostics) || !spec) return fail();
  for (const s of steps.values()) {
    for (const n of nextStepIds(s)) {
      if (!steps.has(n))
        diagnostics.push(err(s.nodeId, 'node.compile_failed', `Step ${s.id} points to unknown step ${n}`));
    }
  }
  if (!steps.has(startStep))
    diagnostics.push(err(trigger!.node.id, 'node.compile_failed', 'Trigger output leads nowhere'));
  if (hasErrors(diagnostics)) return fail();

  const body = {
    planVersion: 1 as const,
    trigger: spec.trigger,
    scope: spec.scope,
    entry: spec.entry,
    exits: spec.exits,
    goal: spec.goal,
    maxStepVisits: spec.maxStepVisits,
    steps: Object.fromEntries(steps),
    startStep,
  };
  // Canonicalize once; `hash` is then slotted in at its sorted position (between goal and maxStepVisits).
  const canonical = canonicalize(body);
  const hash = sha256Hex(JSON.stringify(canonical));
  const {
    planVersion,
    scope,
    startStep: start,
    steps: sortedSteps,
    trigger: t,
    entry,
    exits,
    goal,
    maxStepVisits,
  } = canonical;
  const plan: Plan = {
    entry,
    exits,
    goal,
    hash,
    maxStepVisits,
    planVersion,
    scope,
    startStep: start,
    steps: sortedSteps,
    trigger: t,
  };
  return { ok: true, plan, diagnostics };
}
