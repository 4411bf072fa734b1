import { z } from 'zod';
import { Json } from './json';
import { Rule } from './rule';

// The plan IR: the only thing the Temporal interpreter reads. Changing a meaning here is a workflow change
// (behind `patched()`); adding a node type never is.

/** Step id: `${nodeId}` for a node's first step, `${nodeId}#2`, `#3`… for further ones, `${nodeId}#end:${port}` for ends added by the compiler. */
export const StepId = z.string().min(1);
export type StepId = z.infer<typeof StepId>;

/**
 * When a `sleep` wakes.
 * - `duration`: `ms` after the step is entered (pure timer, no activity).
 * - `time_of_day`: the next `hour:minute` in the customer's time zone strictly after entry; if `weekdays`
 *   is set (0 = Sunday … 6 = Saturday) only on those days.
 * - `date_field`: the instant in `field` (e.g. `order.placedAt`, `customer.attributes.birthday`) plus
 *   `offsetMs` (may be negative); if `hour`/`minute` are set, that local time on the resulting day.
 *   Missing/invalid field or a wake time already in the past → wake immediately.
 * Non-duration wake times are computed by an activity (needs customer data and time zone).
 */
export const Wake = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('duration'), ms: z.number().int().min(0) }),
  z.object({
    kind: z.literal('time_of_day'),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    weekdays: z.array(z.number().int().min(0).max(6)).optional(),
  }),
  z.object({
    kind: z.literal('date_field'),
    field: z.string().min(1),
    offsetMs: z.number().int(),
    hour: z.number().int().min(0).max(23).optional(),
    minute: z.number().int().min(0).max(59).optional(),
  }),
]);
export type Wake = z.infer<typeof Wake>;

/** `sleep`: wait until `wake`, then go to `next`. Exit conditions and goals still end the run while asleep. */
export const SleepStep = z.object({
  type: z.literal('sleep'),
  id: StepId,
  nodeId: z.string(),
  wake: Wake,
  next: StepId,
});
export type SleepStep = z.infer<typeof SleepStep>;

/**
 * `await`: wait for an event of `event.type` matching `event.filter` (evaluated with `event` = the incoming
 * event, plus customer/order/trigger). `sameOrder`: the event's order id must equal the run's order id.
 * `sinceRunStart`: an event received earlier in this run (after the run started) also counts, otherwise only
 * events after entering the step. Goes to `next.happened`, or `next.timedOut` after `timeoutMs`.
 * `orEvents`: other event types (same filter and order rule) that end the wait too, each to its own `next`
 * (port: the event type). When several have arrived by the time the step looks, the first listed wins
 * (`event.type`, then `orEvents` in order), as in a branch: list the furthest stage first.
 */
export const AwaitStep = z.object({
  type: z.literal('await'),
  id: StepId,
  nodeId: z.string(),
  event: z.object({ type: z.string().min(1), filter: Rule.nullable(), sameOrder: z.boolean() }),
  timeoutMs: z.number().int().min(0),
  sinceRunStart: z.boolean(),
  next: z.object({ happened: StepId, timedOut: StepId }),
  orEvents: z.array(z.object({ type: z.string().min(1), next: StepId })).optional(),
});
export type AwaitStep = z.infer<typeof AwaitStep>;

/**
 * `decide`, mode `rules`: evaluate `cases` in order with `evaluateRule` (context: customer, order, trigger);
 * the first case whose rule is true wins, else `defaultPort`; go to `next[port]`. Record the reasons.
 */
export const DecideRulesStep = z.object({
  type: z.literal('decide'),
  mode: z.literal('rules'),
  id: StepId,
  nodeId: z.string(),
  cases: z.array(z.object({ port: z.string(), label: z.string(), rule: Rule })),
  defaultPort: z.string(),
  next: z.record(z.string(), StepId),
});
export type DecideRulesStep = z.infer<typeof DecideRulesStep>;

/**
 * `decide`, mode `random`: pick a port with `pickWeighted(weights, `${runId}:${stepId}`)` — deterministic
 * per run, so replays and retries pick the same port. Percents sum to 100.
 */
export const DecideRandomStep = z.object({
  type: z.literal('decide'),
  mode: z.literal('random'),
  id: StepId,
  nodeId: z.string(),
  weights: z.array(z.object({ port: z.string(), label: z.string(), percent: z.number().min(0).max(100) })),
  next: z.record(z.string(), StepId),
});
export type DecideRandomStep = z.infer<typeof DecideRandomStep>;

/** Activity retry policy for an `act` step (maps onto Temporal's RetryPolicy; `backoff` = coefficient). */
export const RetryPolicy = z.object({
  maxAttempts: z.number().int().min(1),
  initialIntervalMs: z.number().int().min(0),
  backoff: z.number().min(1),
  maxIntervalMs: z.number().int().min(0),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/**
 * `act`: run the action registered under `action` (e.g. `email.send`) with `input` (JSON, Liquid still
 * unrendered) and idempotency key `${runId}:${stepId}`. Retryable failures retry per `retry`; when the
 * action finally fails, `onFailure: 'continue'` goes to `next`, `'exit'` ends the run (reason `action_failed`).
 * `transactional` messages skip marketing consent and quiet hours.
 */
export const ActStep = z.object({
  type: z.literal('act'),
  id: StepId,
  nodeId: z.string(),
  action: z.string().min(1),
  input: z.record(z.string(), Json),
  transactional: z.boolean().optional(),
  retry: RetryPolicy,
  onFailure: z.enum(['continue', 'exit']),
  next: StepId,
  /** Step name the action's output is kept under for later steps (`steps.<name>`); absent: none kept. */
  outputName: z.string().optional(),
});
export type ActStep = z.infer<typeof ActStep>;

/** Why an `end` step ends the run. */
export const EndReason = z.enum(['completed', 'exit_node', 'unconnected_output']);
export type EndReason = z.infer<typeof EndReason>;

/** `end`: the run finishes with `reason` (and the exit node's `label`, if any). */
export const EndStep = z.object({
  type: z.literal('end'),
  id: StepId,
  nodeId: z.string(),
  reason: EndReason,
  label: z.string().optional(),
});
export type EndStep = z.infer<typeof EndStep>;

/** One primitive step of a plan. */
export const Step = z.union([SleepStep, AwaitStep, DecideRulesStep, DecideRandomStep, ActStep, EndStep]);
export type Step = z.infer<typeof Step>;

/** Reasons a run can end, including those decided by the interpreter rather than an `end` step. */
export const RunEndReason = z.enum([
  ...EndReason.options,
  'exit_condition',
  'goal_reached',
  'iteration_limit',
  'action_failed',
  'cancelled',
]);
export type RunEndReason = z.infer<typeof RunEndReason>;

/** What starts a run: an event (matching `filter`, with `trigger` = that event) or a recurring date. */
export const PlanTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), eventType: z.string().min(1), filter: Rule.nullable() }),
  z.object({
    kind: z.literal('date'),
    source: z.enum(['first_order_anniversary', 'birthday', 'attribute']),
    attribute: z.string().optional(),
    offsetDays: z.number().int(),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
  }),
]);
export type PlanTrigger = z.infer<typeof PlanTrigger>;

/**
 * Who may enter. `once_per_order` / `once_per_customer`: never twice for that key; `every_time`: every
 * trigger (still one active run per workflow id); `at_most_every`: not again within `periodDays` of the
 * last entry. The customer must also match `segmentRule` and be in `segmentId` when set.
 */
export const EntryPolicy = z.object({
  rule: z.enum(['once_per_order', 'once_per_customer', 'every_time', 'at_most_every']),
  periodDays: z.number().int().min(1).optional(),
  segmentRule: Rule.nullable().optional(),
  segmentId: z.string().nullable().optional(),
});
export type EntryPolicy = z.infer<typeof EntryPolicy>;

/** Ends the run (reason `exit_condition`) as soon as a matching event arrives, whatever step it is on. */
export const ExitCondition = z.object({
  eventType: z.string().min(1),
  filter: Rule.nullable(),
  sameOrder: z.boolean(),
});
export type ExitCondition = z.infer<typeof ExitCondition>;

/** Conversion goal: a matching event within `windowHours` of entry counts as a conversion; ends the run when `exitOnReach`. */
export const Goal = z.object({
  eventType: z.string().min(1),
  filter: Rule.nullable(),
  windowHours: z.number().int().min(1),
  exitOnReach: z.boolean(),
});
export type Goal = z.infer<typeof Goal>;

/**
 * The compiled, immutable journey. Run starts at `startStep`; `maxStepVisits` bounds loops: entering any
 * step more often than that ends the run with `iteration_limit`. `hash` = SHA-256 of the canonical JSON of
 * every other field.
 */
export const Plan = z.object({
  planVersion: z.literal(1),
  trigger: PlanTrigger,
  scope: z.enum(['order', 'customer']),
  entry: EntryPolicy,
  exits: z.array(ExitCondition),
  goal: Goal.nullable(),
  maxStepVisits: z.number().int().min(1),
  steps: z.record(StepId, Step),
  startStep: StepId,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Plan = z.infer<typeof Plan>;

/** Every step id a step can go to next. */
export function nextStepIds(step: Step): string[] {
  switch (step.type) {
    case 'sleep':
    case 'act':
      return [step.next];
    case 'await':
      return [step.next.happened, ...(step.orEvents ?? []).map((o) => o.next), step.next.timedOut];
    case 'decide':
      return Object.values(step.next);
    case 'end':
      return [];
  }
}

/** Returns a copy of a step with every `next` reference passed through `fn`. */
export function mapNext<S extends Step>(step: S, fn: (ref: string) => string): S {
  switch (step.type) {
    case 'sleep':
    case 'act':
      return { ...step, next: fn(step.next) };
    case 'await': {
      const next = { happened: fn(step.next.happened), timedOut: fn(step.next.timedOut) };
      if (!step.orEvents) return { ...step, next };
      return { ...step, next, orEvents: step.orEvents.map((o) => ({ ...o, next: fn(o.next) })) };
    }
    case 'decide': {
      const next: Record<string, string> = {};
      for (const [port, ref] of Object.entries(step.next)) next[port] = fn(ref);
      return { ...step, next };
    }
    default:
      return step;
  }
}
