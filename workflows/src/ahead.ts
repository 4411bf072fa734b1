import type { Step } from '@hourglass/journey';
import type { AheadRecording } from './activities/types';

// Recording a step ahead: the entry of a step that follows an activity with nothing to decide in
// between (an `end`, a sleep of fixed length, an await) is written by that activity, in the same
// transaction as its own outcome, instead of costing the workflow a local-activity marker of its own.
// Pure: imported by the workflow (to know what will be written) and by the activities (to write it).

/** Steps whose entry can be written by the activity before them. */
export function canRecordAhead(step: Step | undefined): step is Step {
  if (!step) return false;
  return (
    step.type === 'end' || step.type === 'await' || (step.type === 'sleep' && step.wake.kind === 'duration')
  );
}

/** The record of entering `step` (visit `seq`) at `at` (ms), with the run's new state. */
export function aheadRecording(step: Step, seq: number, at: number): AheadRecording | null {
  const enter = { stepId: step.id, nodeId: step.nodeId, primitive: step.type, seq, at };
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (step.type) {
    case 'end':
      return {
        step: { ...enter, finishedAt: at, outcome: step.reason },
        update: { status: 'completed', currentStep: step.id, waitingFor: null, endReason: step.reason },
      };
    case 'sleep':
      if (step.wake.kind !== 'duration') return null;
      return {
        step: enter,
        update: {
          status: 'waiting',
          currentStep: step.id,
          waitingFor: { kind: 'sleep', until: iso(at + step.wake.ms) },
        },
      };
    case 'await':
      return {
        step: enter,
        update: {
          status: 'waiting',
          currentStep: step.id,
          waitingFor: { kind: 'await', until: iso(at + step.timeoutMs), eventType: step.event.type },
        },
      };
    default:
      return null;
  }
}
