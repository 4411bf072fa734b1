import type { CaseReason, StepReason } from '@hourglass/db';
import type { Json, Plan, Rule, Step, Wake } from '@hourglass/journey';
import type { RunEvent } from '../contract';

// Shapes exchanged between the interpreter and its activities. The workflow imports this file as
// types only, so nothing here may be a runtime value.

/** Engine knobs set by the worker, handed to each run once (recorded in history with the plan). */
export interface EngineConfig {
  /** Upper bound of the per-run jitter added to computed wake times, to spread synchronised wake-ups. */
  jitterMs: number;
  /** Upsert the CurrentStep search attribute (off where the attribute is not registered). */
  searchAttributes: boolean;
  /** Continue-as-new once history grows past this many events (or when Temporal suggests it). */
  maxHistoryEvents: number;
  /** Start-to-close timeout of one action attempt. */
  actTimeoutMs: number;
}

/** What identifies a run in the database. `runRowId` is journey_runs.id. */
export interface RunRef {
  workspaceId: string;
  journeyId: string;
  version: number;
  customerId: string;
  orderId: string | null;
  workflowId: string;
  runRowId: string;
}

/** Entering a step; `seq` counts visits (0 = first) so loops record each visit. `at` is workflow time (ms). */
export interface StepEnter {
  stepId: string;
  nodeId: string;
  primitive: 'sleep' | 'await' | 'decide' | 'act' | 'end';
  seq: number;
  at: number;
}

/** Finishing a step that waited (sleep, await, deferral): folded into the next step's recording. */
export interface StepClose {
  stepId: string;
  nodeId: string;
  primitive: StepEnter['primitive'];
  seq: number;
  at: number;
  outcome: string;
  port?: string | null;
}

/** A complete step record. */
export interface StepRecord extends StepEnter {
  finishedAt?: number | null;
  outcome?: string | null;
  port?: string | null;
  reasons?: StepReason[] | null;
  messageId?: string | null;
  error?: Record<string, Json> | null;
  /** The attempt number of the activity that wrote the outcome. */
  attempt?: number;
  /** What the action produced, when its node declares an output. */
  output?: Record<string, Json> | null;
}

/** New state of the journey_runs row. */
export interface RunUpdate {
  status: 'running' | 'waiting' | 'completed' | 'exited' | 'failed' | 'cancelled';
  currentStep: string | null;
  waitingFor?: {
    kind: 'sleep' | 'await';
    until: string | null;
    eventType?: string | null;
    /** Why a sleep: `quiet_hours` when a send was deferred. */
    reason?: string | null;
  } | null;
  endReason?: string | null;
}

/** One recording: close the previous waiting step, write this step, update the run. */
export interface Recording {
  run: RunRef;
  /** Earlier pure steps the workflow did not record on their own (they ride on this write). */
  before?: StepRecord[] | undefined;
  close?: StepClose | undefined;
  step?: StepRecord | undefined;
  update?: RunUpdate | undefined;
  /** The action attempt behind this step write (needs `step`). */
  attempt?: AttemptRecord | undefined;
  /** The step that directly follows, recorded ahead with this one (see ../ahead.ts). */
  ahead?: AheadRecording | null | undefined;
}

/**
 * One attempt of an action, recorded by the action activity itself (no workflow history of its
 * own). `scheduledAt` is the step's `at` as the workflow scheduled the activity: a deferred step
 * that runs again is a new activity whose attempts count from 1 again. Times are ms.
 */
export interface AttemptRecord {
  scheduledAt: number;
  attempt: number;
  at: number;
  outcome: 'ok' | 'skipped' | 'failed' | 'deferred';
  /** Failed: Temporal will try again. */
  willRetry?: boolean;
  error?: {
    type: string;
    message: string;
    retryable: boolean;
    provider?: string | null;
    status?: number | null;
    providerCode?: string | null;
  } | null;
  deferredUntil?: number | null;
  reason?: { kind: string; window?: { start: string; end: string } | null; timeZone?: string | null } | null;
  messageId?: string | null;
}

/** Entering the next step (or the run's end), recorded ahead by the activity just before it. */
export interface AheadRecording {
  step: StepRecord;
  update: RunUpdate;
}

/** Input of `loadRun`. */
export interface LoadRunInput {
  workspaceId: string;
  journeyId: string;
  version: number;
  customerId: string;
  orderId: string | null;
  workflowId: string;
  triggerEventId: string;
  at: number;
  /** Record the plan's first step ahead when it can be (see ../ahead.ts). */
  recordStart?: boolean;
}

/** What a run learns once, at its start. Customer and order are snapshots for in-workflow filters. */
export interface LoadedRun {
  plan: Plan;
  runRowId: string;
  config: EngineConfig;
  customer: Record<string, Json | undefined>;
  order: Record<string, Json> | null;
  /** Set when `loadRun` recorded the plan's first step ahead. */
  startRecorded?: boolean;
}

/** Input of `decide` (rules mode). */
export interface DecideInput extends Recording {
  step: StepRecord;
  cases: Array<{ port: string; label: string; rule: Rule }>;
  defaultPort: string;
  trigger: RunEvent;
  /** Outputs of earlier steps by step name (revision 3): rules may read `steps.<name>.<field>`. */
  steps?: Record<string, Json> | undefined;
  /** By port: the step behind it, to record ahead when that port is picked (see ../ahead.ts). */
  next?: Record<string, { step: Step; seq: number }> | undefined;
}

/** Result of `decide`: the port and the values compared. */
export interface DecideResult {
  port: string;
  label: string | null;
  reasons: CaseReason[];
}

/** Input of `computeWake`: records entering the sleep and returns when it wakes. */
export interface WakeInput extends Recording {
  step: StepRecord;
  wake: Wake;
  jitterMs: number;
  trigger: RunEvent;
  /** Outputs of earlier steps (revision 3): a date field may be `steps.<name>.<field>`. */
  steps?: Record<string, Json> | undefined;
}

/** Input of `runAction`. */
export interface ActionInput extends Recording {
  step: StepRecord;
  action: string;
  input: Record<string, Json>;
  transactional: boolean;
  idempotencyKey: string;
  maxAttempts: number;
  trigger: RunEvent;
  /** The event that ended the latest wait (Liquid `event`), if any. */
  event?: RunEvent | null;
  /** Outputs of earlier steps by step name (revision 3; Liquid `steps.<name>.<field>`). */
  steps?: Record<string, Json> | undefined;
  /** The step after this one, to record ahead when the action is done (see ../ahead.ts). */
  next?: { step: Step; seq: number } | undefined;
  /**
   * The attempt, when the workflow runs the retries itself (revision-2 runs: one local activity per
   * attempt, whose `step.at` is then that attempt's time). Absent: Temporal's attempt number.
   */
  attemptNumber?: number;
}

/** Outcome of `runAction`: done (ok / skipped) or deferred to a later time (quiet hours). */
export type ActionOutcome =
  | {
      kind: 'done';
      status: 'ok' | 'skipped';
      detail: string | null;
      messageId: string | null;
      /** The action's declared output, when it has one (revision 3 keeps it for later steps). */
      output?: Record<string, Json> | null;
    }
  | { kind: 'deferred'; until: number; reason: string };

/** Input of `markConverted`. */
export interface ConvertInput {
  run: RunRef;
  at: number;
  orderId: string | null;
  properties: Record<string, unknown>;
}
