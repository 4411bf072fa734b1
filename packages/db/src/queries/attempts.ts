import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { type AttemptError, type AttemptOutcome, type AttemptReason, runStepAttempts } from '../schema';

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
  await db
    .insert(runStepAttempts)
    .values({ ...input, workspaceId, seq: input.seq ?? 0 })
    .onConflictDoNothing({
      target: [
        runStepAttempts.runId,
        runStepAttempts.stepId,
        runStepAttempts.seq,
        runStepAttempts.scheduledAt,
        runStepAttempts.attempt,
      ],
    });
}

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
