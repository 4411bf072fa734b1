import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, jsonParam, placeholderAs, preparedQuery } from '../../client';
import { type AttemptError, type AttemptOutcome, type AttemptReason, runStepAttempts } from '../../schema';

/** One recorded attempt of an action step. */
export type RunStepAttempt = typeof runStepAttempts.$inferSelect;

/** An attempt as the action activity reports it; (run, step, seq, scheduledAt, attempt) identifies it. */
export type AttemptInput = {
  runId: string;
  stepId: string;
  seq?: number;
  scheduledAt: Date;
  attempt: number;
  at: Date;
  outcome: AttemptOutcome;
  willRetry?: boolean;
  error?: AttemptError | null;
  deferredUntil?: Date | null;
  reason?: AttemptReason | null;
  messageId?: string | null;
};

/**
 * Records an attempt once: a replayed write of the same attempt changes nothing. The step row must
 * exist (record the step first, in the same transaction).
 */
export async function recordStepAttempt(
  db: Executor,
  workspaceId: string,
  input: AttemptInput,
): Promise<void> {
  await recordAttemptRow(db, {
    workspaceId,
    runId: input.runId,
    stepId: input.stepId,
    seq: input.seq ?? 0,
    scheduledAt: input.scheduledAt,
    attempt: input.attempt,
    at: input.at,
    outcome: input.outcome,
    willRetry: input.willRetry ?? false,
    error: jsonParam(input.error),
    deferredUntil: input.deferredUntil ?? null,
    reason: jsonParam(input.reason),
    messageId: input.messageId ?? null,
  });
}

// Every action attempt: a prepared statement (timestamps and jsonb passed as driver values, cast).
const recordAttemptRow = preparedQuery('record_step_attempt', (db) =>
  db
    .insert(runStepAttempts)
    .values({
      workspaceId: sql.placeholder('workspaceId'),
      runId: sql.placeholder('runId'),
      stepId: sql.placeholder('stepId'),
      seq: sql.placeholder('seq'),
      scheduledAt: placeholderAs('scheduledAt', 'timestamptz'),
      attempt: sql.placeholder('attempt'),
      at: placeholderAs('at', 'timestamptz'),
      outcome: sql.placeholder('outcome'),
      willRetry: sql.placeholder('willRetry'),
      error: placeholderAs('error', 'jsonb'),
      deferredUntil: placeholderAs('deferredUntil', 'timestamptz'),
      reason: placeholderAs('reason', 'jsonb'),
      messageId: sql.placeholder('messageId'),
    })
    .onConflictDoNothing({
      target: [
        runStepAttempts.runId,
        runStepAttempts.stepId,
        runStepAttempts.seq,
        runStepAttempts.scheduledAt,
        runStepAttempts.attempt,
      ],
    }),
);

/** Every attempt of the run's action steps, oldest first. */
export async function listRunAttempts(
  db: Executor,
  workspaceId: string,
  runId: string,
): Promise<RunStepAttempt[]> {
  return db
    .select()
    .from(runStepAttempts)
    .where(and(eq(runStepAttempts.workspaceId, workspaceId), eq(runStepAttempts.runId, runId)))
    .orderBy(asc(runStepAttempts.at), asc(runStepAttempts.id));
}
