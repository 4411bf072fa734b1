import type {
  AnyNodeDefinition,
  CompileOptions,
  NodeCompileContext,
  NodeCompileResult,
  NodeRegistry,
  PortSpec,
} from './define-node';
import type { Diagnostic, NodeDiagnostic } from './diagnostics';
import { issuePath } from './diagnostics';
import type { GraphNode } from './graph';
import { MESSAGES_ROOT, messageFieldKind, messageRefProblem } from './message-fields';
import { type AvailableOutput, outputRefProblem } from './outputs';
import { Step } from './plan';
import { eachLeaf, fieldPath, MAX_EXPANDED_CONDITIONS, type Rule, rulePerformed, ruleSegments } from './rule';
import { expandedRuleSize, ruleIssues, tooComplexMessage } from './rule-check';

/** Prefix of port references inside step drafts; `#` can never start a node id, so no clash. */
export const PORT_TOKEN = '#port:';

/** A node after its own (local) compilation; `ok` false means its errors are already reported. */
export interface CompiledNode {
  node: GraphNode;
  def: AnyNodeDefinition | undefined;
  ok: boolean;
  ports: readonly PortSpec[] | undefined;
  result: NodeCompileResult | undefined;
}

function stepRef(nodeId: string, n: number): string {
  return n <= 1 ? nodeId : `${nodeId}#${n}`;
}

/** Step outputs a node's rules and templates may read: those reaching it, and the journey's. */
export interface OutputScope {
  outputs: readonly AvailableOutput[];
  journeyOutputs: readonly AvailableOutput[];
  /** Ids of the journey's message-sending steps. */
  messageSteps: readonly string[];
}

/** Every `steps.*` condition of a rule, with whether it only asks if the value exists. */
function outputConditions(rule: Rule): Array<{ field: string; existsOnly: boolean }> {
  const out: Array<{ field: string; existsOnly: boolean }> = [];
  eachLeaf(rule, (r) => {
    if ('field' in r && fieldPath(r.field)[0] === 'steps')
      out.push({ field: r.field, existsOnly: r.op === 'exists' });
  });
  return out;
}

/** Every `messages.*` field a rule's conditions name. */
function messageConditions(rule: Rule): string[] {
  const out: string[] = [];
  eachLeaf(rule, (r) => {
    if ('field' in r && fieldPath(r.field)[0] === MESSAGES_ROOT) out.push(r.field);
  });
  return out;
}

function makeContext(nodeId: string, options: CompileOptions, scope: OutputScope): NodeCompileContext {
  const known = options.knownSegments ? new Set(options.knownSegments) : null;
  return {
    nodeId,
    options,
    outputs: scope.outputs,
    journeyOutputs: scope.journeyOutputs,
    messageSteps: scope.messageSteps,
    port: (portId) => `${PORT_TOKEN}${portId}`,
    step: (n) => stepRef(nodeId, n),
    checkRule(rule, field, opts) {
      const base = opts?.allowEvent
        ? ['customer', 'order', 'trigger', 'event']
        : ['customer', 'order', 'trigger'];
      const outputsMode = opts?.outputs ?? 'scope';
      const available = outputsMode === 'journey' ? scope.journeyOutputs : scope.outputs;
      const roots = [
        ...base,
        ...(outputsMode === 'none' ? [] : ['steps']),
        ...(opts?.allowMessages ? [MESSAGES_ROOT] : []),
      ];
      const kindOf = (path: string) => {
        if (fieldPath(path)[0] === MESSAGES_ROOT) return messageFieldKind(path, scope.messageSteps);
        const [, name, key] = fieldPath(path);
        return available.find((o) => o.name === name)?.fields.find((f) => f.key === key)?.kind;
      };
      // The diagnostic stays on the node's own field (the inspector shows it there); the message says
      // which condition is at fault.
      const out: NodeDiagnostic[] = [];
      const explained = new Set<string>();
      if (outputsMode !== 'none') {
        for (const c of outputConditions(rule)) {
          const optional = c.existsOnly || outputsMode === 'journey';
          const problem = outputRefProblem(available, fieldPath(c.field), optional);
          if (!problem) continue;
          explained.add(c.field);
          out.push({ field, ...problem });
        }
      }
      if (opts?.allowMessages) {
        for (const f of messageConditions(rule)) {
          const problem = messageRefProblem(f, scope.messageSteps);
          if (!problem) continue;
          explained.add(f);
          out.push({ field, ...problem });
        }
      }
      for (const issue of ruleIssues(rule, roots, kindOf)) {
        // A `steps.*` or `messages.*` field already explained above needs no second "unknown field".
        if ([...explained].some((f) => issue.message.includes(`"${f}"`))) continue;
        out.push({ field, code: issue.code, message: issue.message });
      }
      if (!opts?.allowPerformed) {
        // Filters are evaluated on an incoming event in the workflow or router, with no event history.
        for (const p of rulePerformed(rule)) {
          out.push({
            field,
            code: 'rule.performed_unsupported',
            message: `"performed ${p.eventType}" needs the customer's event history: use it in a branch or a segment`,
          });
        }
      }
      if (known) {
        for (const seg of ruleSegments(rule)) {
          if (!known.has(seg))
            out.push({ field, code: 'segment.unknown', message: `Segment "${seg}" does not exist` });
        }
      }
      const segmentRules = options.segmentRules;
      if (segmentRules && ruleSegments(rule).length > 0) {
        const size = expandedRuleSize(rule, (id) => segmentRules.get(id));
        if (size > MAX_EXPANDED_CONDITIONS)
          out.push({ field, code: 'segment.too_complex', message: tooComplexMessage('This rule') });
      }
      return out;
    },
  };
}

function migrate(
  def: AnyNodeDefinition,
  node: GraphNode,
  push: (d: Omit<Diagnostic, 'nodeId'>) => void,
): Record<string, unknown> | null {
  const from = node.data.version ?? def.version;
  if (from > def.version) {
    push({
      code: 'node.unknown_version',
      message: `${def.label} v${from} is newer than this Hourglass (knows up to v${def.version})`,
      severity: 'error',
    });
    return null;
  }
  let config = node.data.config;
  for (let v = from; v < def.version; v++) {
    const step = def.migrations[v];
    if (!step) {
      push({
        code: 'node.unknown_version',
        message: `${def.label}: no migration from v${v}`,
        severity: 'error',
      });
      return null;
    }
    config = step(structuredCloneJson(config));
  }
  return config;
}

// Configs are verified plain JSON before this point, so a JSON round-trip is an exact deep copy.
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A node resolved, migrated and validated, ready to compile: `config` undefined when that failed. */
export interface PreparedNode {
  node: GraphNode;
  def: AnyNodeDefinition | undefined;
  config: unknown;
  ok: boolean;
}

/** Resolves, migrates and validates one node's config; pushes its diagnostics. Never throws. */
export function prepareNode(
  node: GraphNode,
  registry: NodeRegistry,
  diagnostics: Diagnostic[],
): PreparedNode {
  const push = (d: Omit<Diagnostic, 'nodeId'>) => diagnostics.push({ nodeId: node.id, ...d });
  const def = registry.get(node.type);
  const failed: PreparedNode = { node, def, config: undefined, ok: false };
  if (!def) {
    push({ code: 'node.unknown_kind', message: `Unknown node type "${node.type}"`, severity: 'error' });
    return failed;
  }
  try {
    const raw = migrate(def, node, push);
    if (!raw) return failed;
    const parsed = def.config.safeParse(raw);
    if (parsed.success) return { node, def, config: parsed.data, ok: true };
    for (const issue of parsed.error.issues) {
      const field = issuePath(issue.path);
      push({
        code: 'config.invalid',
        message: issue.message,
        severity: 'error',
        ...(field ? { field } : {}),
      });
    }
  } catch (err) {
    const message = `${def.label} failed to compile: ${err instanceof Error ? err.message : String(err)}`;
    push({ code: 'node.compile_failed', message, severity: 'error' });
  }
  return failed;
}

/** Compiles one prepared node with the outputs that reach it; pushes its diagnostics. Never throws. */
export function compileNode(
  prepared: PreparedNode,
  options: CompileOptions,
  scope: OutputScope,
  validateSteps: boolean,
  diagnostics: Diagnostic[],
): CompiledNode {
  const { node, def } = prepared;
  const nodeId = node.id;
  const push = (d: Omit<Diagnostic, 'nodeId'>) => diagnostics.push({ nodeId, ...d });
  const failed = (): CompiledNode => ({ node, def, ok: false, ports: undefined, result: undefined });
  if (!def || !prepared.ok) return failed();
  try {
    const config = prepared.config;
    const ports = def.ports(config);
    const result = def.compile(config, makeContext(nodeId, options, scope));
    let ok = true;
    for (const d of result.diagnostics ?? []) {
      const severity = d.severity ?? 'error';
      if (severity === 'error') ok = false;
      push({ ...d, severity });
    }
    if (!ok) return { node, def, ok, ports, result: undefined };
    const problem = checkResult(def, ports, result, validateSteps);
    if (problem) {
      push({ code: 'node.compile_failed', message: `${def.label}: ${problem}`, severity: 'error' });
      return failed();
    }
    return { node, def, ok: true, ports, result };
  } catch (err) {
    push({
      code: 'node.compile_failed',
      message: `${def.label} failed to compile: ${err instanceof Error ? err.message : String(err)}`,
      severity: 'error',
    });
    return failed();
  }
}

// Guards against custom node types emitting malformed primitives; the interpreter trusts the plan.
function checkResult(
  def: AnyNodeDefinition,
  ports: readonly PortSpec[],
  result: NodeCompileResult,
  validate: boolean,
): string | null {
  const ids = new Set<string>();
  for (const p of ports) {
    if (ids.has(p.id)) return `port "${p.id}" declared twice`;
    ids.add(p.id);
  }
  if (def.category === 'trigger') return result.trigger ? null : 'a trigger must return `trigger`';
  const steps = result.steps ?? [];
  if (steps.length === 0) return 'compiled to no steps';
  if (!validate) return null;
  for (const draft of steps) {
    const check = Step.safeParse({ ...draft, id: 'x', nodeId: 'x' });
    if (!check.success) return `invalid ${draft.type} step: ${check.error.issues[0]?.message ?? ''}`;
  }
  return null;
}
