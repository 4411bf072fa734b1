import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// The engine's public contract, shared by the API (which starts and signals runs) and the worker.

/** Name of the interpreter workflow type. */
export const JOURNEY_WORKFLOW = 'journeyRun';

/** Signal carrying a customer event to a running journey (waits, exit conditions, goals). */
export const EVENT_SIGNAL = 'event';
/** Signal asking a run to stop with a reason (manual cancel, unsubscribe, archived journey). */
export const CANCEL_SIGNAL = 'cancel';
/** Signal telling a run its journey was paused or resumed. */
export const JOURNEY_STATUS_SIGNAL = 'journeyStatus';

/** An event as delivered to a run. */
export interface RunEvent {
  id: string;
  type: string;
  occurredAt: string;
  orderId: string | null;
  properties: Record<string, unknown>;
}

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

/** Search attributes set on every run (registered by `npm start` on the dev server). */
export const searchAttributes = {
  CustomerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  JourneyId: defineSearchAttributeKey('JourneyId', SearchAttributeType.KEYWORD),
  JourneyVersion: defineSearchAttributeKey('JourneyVersion', SearchAttributeType.INT),
  CurrentStep: defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD),
} as const;
