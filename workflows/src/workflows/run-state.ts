import { evaluateRule, type Json, type Plan, sha256 } from '@hourglass/journey';
import type { LoadedRun, StepClose, StepRecord } from '../activities/types';
import type { CancelRequest, RunEvent } from '../contract';

// Pure helpers of the interpreter: state carried across continue-as-new and event matching.

/** Most events kept for `sinceRunStart` waits; older ones fall off (journeys see a handful). */
export const MAX_BUFFERED_EVENTS = 200;
/** Event ids remembered to drop duplicate signals (the router retries deliveries). */
export const MAX_SEEN_IDS = 500;

/** An event with its arrival index in this run (indices keep counting across continue-as-new). */
export interface BufferedEvent {
  idx: number;
  event: RunEvent;
}

/** Everything a run needs to resume after continue-as-new. */
export interface RunState {
  loaded: LoadedRun;
  /** Step to run next. */
  stepId: string;
  visits: Record<string, number>;
  events: BufferedEvent[];
  eventCount: number;
  seen: string[];
  converted: boolean;
  startedAt: number;
  paused: boolean;
  cancel: CancelRequest | null;
  /** The event that ended the latest await (Liquid `event` in later messages). */
  lastEvent: RunEvent | null;
  /** The waiting step to close in the next recording (its outcome so far). */
  pendingClose: StepClose | null;
  /** Pure steps (random splits) not yet written: the next activity or recording writes them first. */
  pendingSteps?: StepRecord[];
  /** Revision 3: outputs of the actions run so far, by step name (`steps.<name>`). */
  outputs?: Record<string, Json>;
}

/** Terminal run statuses the interpreter reports. */
export type EndStatus = 'completed' | 'exited' | 'failed' | 'cancelled';

/** Thrown inside the interpreter to end the run from wherever it is (exit condition, goal, cancel). */
export class RunEnd {
  constructor(
    readonly status: EndStatus,
    readonly reason: string,
    readonly label: string | null = null,
  ) {}
}

/** What a finished run returns (also visible in Temporal's UI). */
export interface RunResult {
  status: EndStatus;
  reason: string;
  label: string | null;
  converted: boolean;
  steps: number;
}

/** What event matching sees of a run; `steps` only from revision 3. */
export interface MatchContext {
  loaded: LoadedRun;
  trigger: RunEvent;
  orderId: string | null;
  steps?: Record<string, Json>;
}

/** Rule context for an incoming event. */
function eventContext(ctx: MatchContext, event: RunEvent): Record<string, unknown> {
  const { loaded, trigger, steps } = ctx;
  return { customer: loaded.customer, order: loaded.order, trigger, event, ...(steps ? { steps } : {}) };
}

/** Whether `event` matches a type/filter/sameOrder pattern for this run. */
export function eventMatches(
  pattern: { type: string; filter: Plan['exits'][number]['filter']; sameOrder: boolean },
  event: RunEvent,
  ctx: MatchContext,
): boolean {
  if (event.type !== pattern.type) return false;
  // A customer-scoped run has no order to compare with: "same order" cannot exclude anything.
  if (pattern.sameOrder && ctx.orderId !== null && event.orderId !== ctx.orderId) return false;
  if (!pattern.filter) return true;
  return evaluateRule(pattern.filter, eventContext(ctx, event)).result;
}

/** Deterministic jitter in [0, maxMs) for a run and step: spreads wake-ups that would coincide. */
export function jitterFor(seed: string, maxMs: number): number {
  if (maxMs <= 0) return 0;
  const d = sha256(seed);
  const x = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  return Math.floor((x / 0x100000000) * maxMs);
}

/** Appends an event to the bounded buffer and the seen-ids list. */
export function bufferEvent(state: RunState, event: RunEvent): void {
  state.events.push({ idx: state.eventCount++, event });
  if (state.events.length > MAX_BUFFERED_EVENTS)
    state.events.splice(0, state.events.length - MAX_BUFFERED_EVENTS);
  state.seen.push(event.id);
  if (state.seen.length > MAX_SEEN_IDS) state.seen.splice(0, state.seen.length - MAX_SEEN_IDS);
}

/** Plain JSON copy of an event for records. */
export const eventJson = (e: RunEvent): Json => JSON.parse(JSON.stringify(e)) as Json;
