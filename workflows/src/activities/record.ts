import { type Executor, type JsonObject, recordStep, upsertRun } from '@hourglass/db';
import type { Recording } from './types';

const TERMINAL = new Set(['completed', 'exited', 'failed', 'cancelled']);

/**
 * Applies one recording in a single transaction: finish the previous waiting step, write this step,
 * update the run row. Every write is idempotent (keyed by run/step/seq and workflow id), so an
 * activity retry or a replayed local activity lands on the same rows.
 */
export async function applyRecording(db: Executor, rec: Recording): Promise<void> {
  const { run, close, step, update } = rec;
  const ws = run.workspaceId;
  await db.transaction(async (tx) => {
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
    if (step) {
      await recordStep(tx, ws, {
        runId: run.runRowId,
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
      });
    }
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
  });
}
