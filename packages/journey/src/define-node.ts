import { z } from 'zod';
import type { NodeDiagnostic } from './diagnostics';
import type { AvailableOutput, OutputSpec } from './outputs';
import type { EntryPolicy, ExitCondition, Goal, PlanTrigger, Step } from './plan';
import type { Rule } from './rule';

/** Palette groups on the canvas; `trigger` nodes start the journey and compile to plan settings, not steps. */
export const NodeCategory = z.enum(['trigger', 'timing', 'logic', 'action', 'flow']);
export type NodeCategory = z.infer<typeof NodeCategory>;

/** An output port. Unconnected ports end the journey (warning) unless `required`, which makes it an error. */
export interface PortSpec {
  id: string;
  label: string;
  required?: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A primitive as a node's compile returns it: the compiler assigns `id` and `nodeId` and resolves `next` tokens. */
export type StepDraft = DistributiveOmit<Step, 'id' | 'nodeId'>;

/** What a trigger node compiles to: the plan's journey-level settings plus where the run starts (`ctx.port`). */
export interface TriggerSpec {
  trigger: PlanTrigger;
  scope: 'order' | 'customer';
  entry: EntryPolicy;
  exits: ExitCondition[];
  goal: Goal | null;
  maxStepVisits: number;
  start: string;
}

/** Output of a node's `compile`. Any error diagnostic fails the node; warnings ride along with the plan. */
export interface NodeCompileResult {
  steps?: StepDraft[];
  trigger?: TriggerSpec;
  diagnostics?: NodeDiagnostic[];
}

/** Workspace facts the compiler cannot see in the graph; all optional (unknown = not checked). */
export interface CompileOptions {
  /** Segment ids that exist; null/undefined skips the check. */
  knownSegments?: readonly string[] | null;
  /** Rules of the workspace's segments, to hold references to the complexity budget; null skips it. */
  segmentRules?: ReadonlyMap<string, Rule> | null;
  /** false → SMS nodes are errors (`sms.no_sender`); undefined → not checked. */
  smsSenderConfigured?: boolean;
}

/** Given to a node's compile: how to refer to its own ports and extra steps, plus shared checks. */
export interface NodeCompileContext {
  nodeId: string;
  options: CompileOptions;
  /**
   * Outputs of earlier steps that may reach this node (`steps.<name>.<field>`), each marked guaranteed
   * when produced on every path to it. Pass to `checkTemplate`; `checkRule` uses it itself.
   */
  outputs: readonly AvailableOutput[];
  /** Every output of the journey: what exit and goal rules, checked at any point of a run, may read. */
  journeyOutputs: readonly AvailableOutput[];
  /** Ids of the journey's steps that send a message (`messages.<id>.*`, waits for its engagement). */
  messageSteps: readonly string[];
  /** Step reference for "whatever is connected to output `portId`". */
  port(portId: string): string;
  /** Step id of this node's n-th step (1 = the entry step `${nodeId}`, 2 = `${nodeId}#2`, …). */
  step(n: number): string;
  /**
   * Diagnostics for a rule at config `field` (unknown roots or fields, values of the wrong type, unknown
   * segments, segment references over the complexity budget).
   * `allowPerformed`: the rule is evaluated where the customer's event history is available (branches,
   * SQL entry rules); elsewhere `performed` conditions are errors (`rule.performed_unsupported`).
   * `outputs`: which step outputs the rule may read: `scope` (default: those reaching this node, each
   * guaranteed unless the condition only asks whether it exists), `journey` (any step's, for rules
   * checked all along the run: exits and goals; a missing output makes its condition false), `none`.
   * `allowMessages`: the rule may ask about this run's messages (`messages.<step id>.*`: branches).
   */
  checkRule(
    rule: Rule,
    field: string,
    opts?: {
      allowEvent?: boolean;
      allowPerformed?: boolean;
      allowMessages?: boolean;
      outputs?: 'scope' | 'journey' | 'none';
    },
  ): NodeDiagnostic[];
}

/** Migrates a config written for version N to version N + 1. */
export type ConfigMigration = (config: Record<string, unknown>) => Record<string, unknown>;

/** A defined node type: the typed handle `defineNode` returns. */
export interface NodeDefinition<
  K extends string = string,
  C = unknown,
  A extends readonly string[] = readonly string[],
> {
  readonly kind: K;
  readonly version: number;
  readonly label: string;
  readonly description: string;
  readonly category: NodeCategory;
  readonly config: z.ZodType<C>;
  /** Action-registry keys this node's `act` steps use; the contract test checks each has a runtime. */
  readonly actions: A;
  readonly migrations: Readonly<Record<number, ConfigMigration>>;
  /** What the node's action produces for later steps; null when nothing. */
  readonly output: OutputSpec<C> | null;
  /** Its first step sends a message whose engagement later steps can wait for or branch on. */
  readonly sendsMessage: boolean;
  // Method syntax on purpose: parameters stay bivariant so any definition fits `AnyNodeDefinition`.
  ports(config: C): readonly PortSpec[];
  compile(config: C, ctx: NodeCompileContext): NodeCompileResult;
}

/** Any node definition, whatever its config type. */
export type AnyNodeDefinition = NodeDefinition<string, unknown, readonly string[]>;

/** Config type of a node definition. */
export type NodeConfig<D> = D extends NodeDefinition<string, infer C, readonly string[]> ? C : never;

/** Input of `defineNode`. */
export interface DefineNodeInput<K extends string, S extends z.ZodType, A extends readonly string[]> {
  kind: K;
  version: number;
  label: string;
  description: string;
  category: NodeCategory;
  config: S;
  ports: readonly PortSpec[] | ((config: z.output<S>) => readonly PortSpec[]);
  compile: (config: z.output<S>, ctx: NodeCompileContext) => NodeCompileResult;
  actions?: A;
  migrations?: Record<number, ConfigMigration>;
  /** What the node's action produces, readable by later steps as `steps.<name>.<field>`. */
  output?: OutputSpec<z.output<S>>;
  /** Its first step sends a message (see NodeDefinition.sendsMessage). */
  sendsMessage?: boolean;
}

/** Defines a node type once: schema, ports, compile-to-primitives, migrations. Returns a typed handle. */
export function defineNode<
  const K extends string,
  S extends z.ZodType,
  const A extends readonly string[] = readonly [],
>(input: DefineNodeInput<K, S, A>): NodeDefinition<K, z.output<S>, A> {
  const { ports } = input;
  return Object.freeze({
    kind: input.kind,
    version: input.version,
    label: input.label,
    description: input.description,
    category: input.category,
    config: input.config as z.ZodType<z.output<S>>,
    actions: (input.actions ?? []) as unknown as A,
    migrations: Object.freeze({ ...(input.migrations ?? {}) }),
    output: input.output ?? null,
    sendsMessage: input.sendsMessage ?? false,
    ports: typeof ports === 'function' ? ports : () => ports,
    compile: input.compile,
  });
}

/** A lookup of node types by kind. */
export interface NodeRegistry<T extends readonly AnyNodeDefinition[] = readonly AnyNodeDefinition[]> {
  readonly nodes: T;
  /** Re-validate every compiled step against the plan schema (off only for node sets proven by tests). */
  readonly validateSteps: boolean;
  get(kind: string): AnyNodeDefinition | undefined;
}

/** Builds a registry from an `as const` list; throws on duplicate kinds (a programming error). */
export function createRegistry<const T extends readonly AnyNodeDefinition[]>(
  nodes: T,
  options: { validateSteps?: boolean } = {},
): NodeRegistry<T> {
  const byKind = new Map<string, AnyNodeDefinition>();
  for (const def of nodes) {
    if (byKind.has(def.kind)) throw new Error(`node kind "${def.kind}" registered twice`);
    byKind.set(def.kind, def);
  }
  return { nodes, validateSteps: options.validateSteps ?? true, get: (kind) => byKind.get(kind) };
}

/** Largest delay/timeout a node may ask for; longer is almost certainly a typo (days vs minutes). */
export const MAX_DELAY_MS = 2 * 365 * 24 * 60 * 60 * 1000;

/** Milliseconds per time unit used by delay-like configs. */
export const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

/** A time unit of delay-like configs. */
export const TimeUnit = z.enum(['minutes', 'hours', 'days', 'weeks']);
export type TimeUnit = z.infer<typeof TimeUnit>;
