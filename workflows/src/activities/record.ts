import { type Executor, type JsonObject, recordStep, recordStepAttempt, upsertRun } from '@hourglass/db';
import type { AttemptRecord, Recording, StepRecord } from './types';

const TERMINAL = new Set(['completed', 'exited', 'failed', 'cancelled']);

/**
 * Applies one recording in a single transaction: the pure steps riding along, finish the previous
 * waiting step, write this step, update the run row, and the end that follows when it was recorded
 * ahead. Every write is idempotent (keyed by run/step/seq and workflow id), so an activity retry or
 * a replayed local activity lands on the same rows.
 */
export async function applyRecording(db: Executor, rec: Recording): Promise<void> {
  await db.transaction(async (tx) => {
    for (const step of rec.before ?? []) await write(tx, { run: rec.run, step });
    await write(tx, rec);
    if (rec.ahead) await write(tx, { run: rec.run, ...rec.ahead });
  });
}

async function write(tx: Executor, rec: Recording): Promise<void> {
  const { run, close, step, update, attempt } = rec;
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
  if (update) {
    const at = step?.finishedAt ?? step?.at ?? close?.at;
    await upsertRun(tx, ws, {
      workflowId: run.workflowId,
      journeyId: run.journeyId,
      version: run.version,
      customerId: run.customerId,
      orderId: run.orderId,
      status: update.status,
      currentStep: update.currentStep,
      waitingFor: update.waitingFor ?? null,
      ...(update.endReason !== undefined ? { endReason: update.endReason } : {}),
      ...(TERMINAL.has(update.status) && at !== undefined ? { endedAt: new Date(at) } : {}),
    });
  }
}

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
    reasons: (step.reasons as JsonObject[] | null | undefined) ?? null,
    messageId: step.messageId ?? null,
    error: step.error ?? null,
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
