import type { Json } from '@hourglass/journey';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { oneOf, sameWorkspace, tstz } from './common';
import { customers, orders } from './customers';
import { journeys } from './journeys';
import type { AttemptError, AttemptReason, JsonObject, StepReason, WaitingFor } from './types';

/** Run lifecycle; the last four are terminal. */
export const RUN_STATUSES = ['running', 'waiting', 'completed', 'exited', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses after which a run never changes again. */
export const TERMINAL_RUN_STATUSES = ['completed', 'exited', 'failed', 'cancelled'] as const;

/** The five plan primitives a step can be (see DESIGN.md). */
export const PRIMITIVES = ['sleep', 'await', 'decide', 'act', 'end'] as const;
export type Primitive = (typeof PRIMITIVES)[number];

/** One customer's (or one order's) trip through a pinned journey version; mirrors a Temporal workflow. */
export const journeyRuns = pgTable(
  'journey_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    workflowId: text().notNull().unique('journey_runs_workflow_id_key'),
    journeyId: uuid().notNull(),
    version: integer().notNull(),
    customerId: uuid().notNull(),
    orderId: uuid(),
    triggerEventId: text(),
    status: text({ enum: RUN_STATUSES }).notNull().default('running'),
    currentStep: text(),
    waitingFor: jsonb().$type<WaitingFor>(),
    endReason: text(),
    convertedAt: tstz(),
    revenue: numeric({ precision: 14, scale: 2, mode: 'number' }),
    startedAt: tstz().notNull().defaultNow(),
    updatedAt: tstz()
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    endedAt: tstz(),
  },
  (t) => [
    unique('journey_runs_workspace_id_id_key').on(t.workspaceId, t.id),
    sameWorkspace(
      'journey_runs_journey_fk',
      [t.workspaceId, t.journeyId],
      [journeys.workspaceId, journeys.id],
    ),
    sameWorkspace(
      'journey_runs_customer_fk',
      [t.workspaceId, t.customerId],
      [customers.workspaceId, customers.id],
    ),
    sameWorkspace('journey_runs_order_fk', [t.workspaceId, t.orderId], [orders.workspaceId, orders.id]),
    index('journey_runs_workspace_journey_idx').on(t.workspaceId, t.journeyId, t.status, t.startedAt),
    index('journey_runs_workspace_customer_idx').on(t.workspaceId, t.customerId, t.startedAt),
    // Analytics read one day's cohort of a journey (any status) when they refresh its rollup.
    index('journey_runs_workspace_journey_started_idx').on(t.workspaceId, t.journeyId, t.startedAt),
    // Signalling "the customer's active runs" on every event must stay cheap.
    index('journey_runs_workspace_active_idx')
      .on(t.workspaceId, t.customerId)
      .where(sql`status in ('running', 'waiting')`),
    oneOf('journey_runs', 'status', RUN_STATUSES),
  ],
);

/**
 * Every step a run entered: outcome, port taken and why. (run_id, step_id, seq) is unique so a
 * replayed or retried activity records the same step once; seq counts visits to a step in loops.
 */
export const runSteps = pgTable(
  'run_steps',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef(),
    runId: uuid().notNull(),
    stepId: text().notNull(),
    nodeId: text().notNull(),
    primitive: text({ enum: PRIMITIVES }).notNull(),
    seq: integer().notNull().default(0),
    enteredAt: tstz().notNull().defaultNow(),
    finishedAt: tstz(),
    outcome: text(),
    port: text(),
    reasons: jsonb().$type<StepReason[]>(),
    messageId: uuid(),
    error: jsonb().$type<JsonObject>(),
    attempt: integer().notNull().default(1),
    /** What the step's action produced (its declared output), readable by later steps as `steps.<name>`. */
    output: jsonb().$type<JsonObject>(),
  },
  (t) => [
    sameWorkspace('run_steps_run_fk', [t.workspaceId, t.runId], [journeyRuns.workspaceId, journeyRuns.id]),
    uniqueIndex('run_steps_run_step_seq_key').on(t.runId, t.stepId, t.seq),
    index('run_steps_workspace_run_idx').on(t.workspaceId, t.runId, t.enteredAt),
    // Per-node analytics on the canvas count steps by node.
    index('run_steps_workspace_node_idx').on(t.workspaceId, t.nodeId, t.outcome),
    oneOf('run_steps', 'primitive', PRIMITIVES),
  ],
);

/** What one attempt of an action came to; `deferred` = not yet allowed (quiet hours), run again later. */
export const ATTEMPT_OUTCOMES = ['ok', 'skipped', 'failed', 'deferred'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * Every attempt of an `act` step, written by the action activity itself: retries with their
 * provider errors, quiet-hours deferrals with their end, the final success. A step that is deferred
 * and run again is a new activity (its attempts count from 1 again): `scheduled_at` (workflow time
 * of that activity) tells them apart, and (step, scheduled_at, attempt) makes a retried write a no-op.
 */
export const runStepAttempts = pgTable(
  'run_step_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef(),
    runId: uuid().notNull(),
    stepId: text().notNull(),
    seq: integer().notNull().default(0),
    scheduledAt: tstz().notNull(),
    attempt: integer().notNull(),
    at: tstz().notNull(),
    outcome: text({ enum: ATTEMPT_OUTCOMES }).notNull(),
    /** Failed: whether Temporal will try again (retryable and attempts left). */
    willRetry: boolean().notNull().default(false),
    error: jsonb().$type<AttemptError>(),
    deferredUntil: tstz(),
    reason: jsonb().$type<AttemptReason>(),
    messageId: uuid(),
  },
  (t) => [
    sameWorkspace(
      'run_step_attempts_run_fk',
      [t.workspaceId, t.runId],
      [journeyRuns.workspaceId, journeyRuns.id],
    ),
    foreignKey({
      name: 'run_step_attempts_step_fk',
      columns: [t.runId, t.stepId, t.seq],
      foreignColumns: [runSteps.runId, runSteps.stepId, runSteps.seq],
    }).onDelete('cascade'),
    uniqueIndex('run_step_attempts_key').on(t.runId, t.stepId, t.seq, t.scheduledAt, t.attempt),
    // The timeline reads a run's attempts in one indexed query.
    index('run_step_attempts_workspace_run_idx').on(t.workspaceId, t.runId, t.at),
    oneOf('run_step_attempts', 'outcome', ATTEMPT_OUTCOMES),
  ],
);

/** Who issued a discount code: Hourglass itself; a store connector adds its own. */
export const DISCOUNT_PROVIDERS = ['hourglass'] as const;
export const DISCOUNT_KINDS = ['percent', 'amount'] as const;

/**
 * A discount code made by a journey step: one per run and step visit (`idempotency_key`), so a
 * retried action finds the code it made before. Redeemed when an order carries it.
 */
export const discountCodes = pgTable(
  'discount_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    code: text().notNull(),
    provider: text({ enum: DISCOUNT_PROVIDERS }).notNull().default('hourglass'),
    kind: text({ enum: DISCOUNT_KINDS }).notNull(),
    /** Percent off (0–100] or an amount in `currency`. */
    value: numeric({ precision: 14, scale: 2, mode: 'number' }).notNull(),
    currency: text(),
    expiresAt: tstz(),
    customerId: uuid().notNull(),
    runId: uuid(),
    journeyId: uuid(),
    stepId: text(),
    idempotencyKey: text().notNull(),
    createdAt: tstz().notNull().defaultNow(),
    redeemedAt: tstz(),
    redeemedOrderId: uuid(),
  },
  (t) => [
    uniqueIndex('discount_codes_workspace_code_key').on(t.workspaceId, sql`upper(${t.code})`),
    uniqueIndex('discount_codes_workspace_idempotency_key').on(t.workspaceId, t.idempotencyKey),
    sameWorkspace(
      'discount_codes_customer_fk',
      [t.workspaceId, t.customerId],
      [customers.workspaceId, customers.id],
    ),
    sameWorkspace(
      'discount_codes_run_fk',
      [t.workspaceId, t.runId],
      [journeyRuns.workspaceId, journeyRuns.id],
    ),
    index('discount_codes_workspace_run_idx').on(t.workspaceId, t.runId),
    oneOf('discount_codes', 'provider', DISCOUNT_PROVIDERS),
    oneOf('discount_codes', 'kind', DISCOUNT_KINDS),
  ],
);

/**
 * What an action asked its run to remember (`store.once`): the first value under a key wins and is
 * returned ever after, so a retried or re-run action finds what an earlier attempt made.
 */
export const runMemory = pgTable(
  'run_memory',
  {
    workspaceId: workspaceRef(),
    runId: uuid().notNull(),
    key: text().notNull(),
    value: jsonb().$type<Json>().notNull(),
    createdAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'run_memory_pkey', columns: [t.runId, t.key] }),
    sameWorkspace('run_memory_run_fk', [t.workspaceId, t.runId], [journeyRuns.workspaceId, journeyRuns.id]),
  ],
);
