import type { Activities, JourneyRunInput } from '@hourglass/workflows';
import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';

// The benchmark's baseline: what a hand-written Temporal workflow needs to do the same work as the
// 6-step journey (load the run, then the four sends as local activities, as the engine runs them
// since revision 2), with no interpreter, no step recording of pure steps, no search-attribute upserts.

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s' });
const acts = proxyLocalActivities<Activities>({
  startToCloseTimeout: '60s',
  retry: { maximumAttempts: 3, initialInterval: '1s' },
});

/** One send of the journey, as the bench passes it from the compiled plan. */
export interface BaselineAct {
  stepId: string;
  nodeId: string;
  action: string;
  input: Record<string, never>;
}

/** Loads the run, then runs each act in order. */
export async function baselineRun(input: JourneyRunInput, steps: BaselineAct[]): Promise<number> {
  const { workflowId } = workflowInfo();
  const loaded = await local.loadRun({
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
    customerId: input.customerId,
    orderId: input.orderId,
    workflowId,
    triggerEventId: input.trigger.id,
    at: Date.now(),
  });
  const run = {
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
    customerId: input.customerId,
    orderId: input.orderId,
    workflowId,
    runRowId: loaded.runRowId,
  };
  for (const [seq, s] of steps.entries()) {
    await acts.runAction({
      run,
      step: { stepId: s.stepId, nodeId: s.nodeId, primitive: 'act', seq, at: Date.now() },
      action: s.action,
      input: s.input,
      transactional: true,
      idempotencyKey: `${workflowId}:${s.stepId}`,
      maxAttempts: 3,
      trigger: input.trigger,
    });
  }
  return steps.length;
}
