import type { Json } from '@hourglass/journey';
import { defineSearchAttributeKey, SearchAttributeType, type SignalDefinition } from '@temporalio/common';

// The engine's public contract, shared by the API (which starts and signals runs) and the worker.

/**
 * Name of the interpreter workflow type (the function `journeyRun` in ./workflows/journey.ts). Clients
 * start runs by this name typed with `typeof journeyRun`, imported as a type only (see ./client).
 */
export const JOURNEY_WORKFLOW = 'journeyRun';

/** Signal carrying a customer event to a running journey (waits, exit conditions, goals). */
export const EVENT_SIGNAL = 'event';
/** Signal asking a run to stop with a reason (manual cancel, unsubscribe, archived journey). */
export const CANCEL_SIGNAL = 'cancel';
/** Signal telling a run its journey was paused or resumed. */
export const JOURNEY_STATUS_SIGNAL = 'journeyStatus';

/**
 * The interpreter revision new runs are started with ({@link JourneyRunInput.revision}). A run reads it
 * from its own input, so its replays agree without a patch marker in its history:
 * - 1 (or absent): actions and rule decisions are regular activities, one workflow task each;
 * - 2: they run as local activities in the workflow task that reaches them, so a run goes from its
 *   trigger to its first wait (or its end) in one workflow task; pure steps' records are folded
 *   (the `fold-pure-step-records` patch, implied);
 * - 3: as 2, and an action's declared output is kept in the run's state under its step name (carried
 *   across continue-as-new) and handed to later actions, decisions, waits and event filters as
 *   `steps.<name>.<field>`. Older runs never see `steps`.
 */
export const ENGINE_REVISION = 3;

/** An event as delivered to a run: plain JSON (a type, not an interface, so it is a JSON record too). */
export type RunEvent = {
  id: string;
  type: string;
  occurredAt: string;
  orderId: string | null;
  properties: Record<string, Json>;
};

/** Input of a run: it pins the journey version; the plan is loaded once by an activity and kept in history. */
export interface JourneyRunInput {
  workspaceId: string;
  journeyId: string;
  version: number;
  customerId: string;
  orderId: string | null;
  /** The event that started the run (for date triggers, a synthetic event of type `date.<source>`). */
  trigger: RunEvent;
  /** State carried over continue-as-new; absent on a fresh start. */
  carried?: unknown;
  /** Interpreter revision the run was started with ({@link ENGINE_REVISION}); absent on older runs. */
  revision?: number;
}

/** Payload of {@link CANCEL_SIGNAL}. */
export interface CancelRequest {
  reason: 'cancelled' | 'unsubscribed' | 'archived';
  by?: string;
  note?: string;
}

/** Payload of {@link JOURNEY_STATUS_SIGNAL}. */
export interface JourneyStatusChange {
  status: 'live' | 'paused' | 'archived';
}

// One definition per signal, typed by its payload: the run's handlers (./workflows/run-context.ts) and the
// client's signals use the same one, so a payload that does not fit is a type error on either side.
// Built as `defineSignal` of @temporalio/workflow builds it (its args brand exists in types only), so the
// client entry loads no workflow package.
const signal = <Args extends unknown[], Name extends string>(name: Name) =>
  ({ type: 'signal', name }) as SignalDefinition<Args, Name>;

/** Delivers a customer event to a run ({@link EVENT_SIGNAL}). */
export const eventSignal = signal<[RunEvent], typeof EVENT_SIGNAL>(EVENT_SIGNAL);
/** Asks a run to stop ({@link CANCEL_SIGNAL}). */
export const cancelSignal = signal<[CancelRequest], typeof CANCEL_SIGNAL>(CANCEL_SIGNAL);
/** Tells a run its journey's status ({@link JOURNEY_STATUS_SIGNAL}). */
export const journeyStatusSignal = signal<[JourneyStatusChange], typeof JOURNEY_STATUS_SIGNAL>(
  JOURNEY_STATUS_SIGNAL,
);

/** Search attributes set on every run (registered by `npm start` on the dev server). */
export const searchAttributes = {
  CustomerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  JourneyId: defineSearchAttributeKey('JourneyId', SearchAttributeType.KEYWORD),
  JourneyVersion: defineSearchAttributeKey('JourneyVersion', SearchAttributeType.INT),
  CurrentStep: defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD),
} as const;
