import { type Executor, type RunInput, recordStep, recordStepAttempt, upsertRun } from '@hourglass/db';
import type { AttemptRecord, Recording, StepRecord } from './types';

const TERMINAL = new Set(['completed', 'exited', 'failed', 'cancelled']);

/**
 * Applies one recording in a single transaction: the pure steps riding along, finish the previous
 * waiting step, write this step, and the end that follows when it was recorded ahead; then the run
 * row once, as the last of them leaves it. Every write is idempotent (keyed by run/step/seq and
 * workflow id), so an activity retry or a replayed local activity lands on the same rows.
 */
export async function applyRecording(db: Executor, rec: Recording): Promise<void> {
  await db.transaction(async (tx) => {
    const parts: Recording[] = [
      ...(rec.before ?? []).map((step) => ({ run: rec.run, step })),
      rec,
      ...(rec.ahead ? [{ run: rec.run, ...rec.ahead }] : []),
    ];
    let run: RunFields | undefined;
    for (const part of parts) {
      await write(tx, part);
      const fields = runFields(part);
      // As upsertRun itself does: nothing reopens a run once it ended.
      if (fields && !(run?.status && TERMINAL.has(run.status))) run = { ...run, ...fields };
    }
    if (run) await upsertRun(tx, rec.run.workspaceId, { ...runIdentity(rec.run), ...run });
  });
}

async function write(tx: Executor, rec: Recording): Promise<void> {
  const { run, close, step, attempt } = rec;
  const ws = run.workspaceId;
  if (close) {
    await recordStep(tx, ws, {
      runId: run.runRowId,
      stepId: close.stepId,
      nodeId: close.nodeId,
      primitive: close.primitive,
      seq: close.seq,
      finishedAt: new Date(close.at),
      outcome: close.outcome,
      port: close.port ?? null,
    });
  }
  if (step) await recordStep(tx, ws, stepRow(run.runRowId, step));
  if (step && attempt) await recordStepAttempt(tx, ws, attemptRow(run.runRowId, step, attempt));
}

type RunFields = Pick<RunInput, 'status' | 'currentStep' | 'waitingFor' | 'endReason' | 'endedAt'>;

/** What a recording's `update` sets on the run row (later recordings of a transaction win). */
function runFields({ update, step, close }: Recording): RunFields | undefined {
  if (!update) return undefined;
  const at = step?.finishedAt ?? step?.at ?? close?.at;
  return {
    status: update.status,
    currentStep: update.currentStep,
    waitingFor: update.waitingFor ?? null,
    ...(update.endReason !== undefined ? { endReason: update.endReason } : {}),
    ...(TERMINAL.has(update.status) && at !== undefined ? { endedAt: new Date(at) } : {}),
  };
}

const runIdentity = (run: Recording['run']) => ({
  workflowId: run.workflowId,
  journeyId: run.journeyId,
  version: run.version,
  customerId: run.customerId,
  orderId: run.orderId,
});

function stepRow(runId: string, step: StepRecord) {
  return {
    runId,
    stepId: step.stepId,
    nodeId: step.nodeId,
    primitive: step.primitive,
    seq: step.seq,
    enteredAt: new Date(step.at),
    finishedAt: step.finishedAt != null ? new Date(step.finishedAt) : null,
    outcome: step.outcome ?? null,
    port: step.port ?? null,
    reasons: step.reasons ?? null,
    messageId: step.messageId ?? null,
    error: step.error ?? null,
    output: step.output ?? null,
    ...(step.attempt !== undefined ? { attempt: step.attempt } : {}),
  };
}

function attemptRow(runId: string, step: StepRecord, a: AttemptRecord) {
  return {
    runId,
    stepId: step.stepId,
    seq: step.seq,
    scheduledAt: new Date(a.scheduledAt),
    attempt: a.attempt,
    at: new Date(a.at),
    outcome: a.outcome,
    willRetry: a.willRetry ?? false,
    error: a.error ?? null,
    deferredUntil: a.deferredUntil != null ? new Date(a.deferredUntil) : null,
    reason: a.reason ?? null,
    messageId: a.messageId ?? null,
  };
}
