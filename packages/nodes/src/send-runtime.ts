import type { ActionContext, ActionResult, SendDeps, SendRequest } from './action-types';

type Common =
  | 'idempotencyKey'
  | 'runId'
  | 'stepId'
  | 'workspaceId'
  | 'journeyId'
  | 'customer'
  | 'order'
  | 'trigger'
  | 'steps';
/** A send request without the fields that come from the run (distributes over the channel union). */
export type SendContent = SendRequest extends infer R
  ? R extends SendRequest
    ? Omit<R, Common>
    : never
  : never;

/** Hands validated message content to `deps.send` with the run's context, and maps the outcome. */
export async function sendWithContext(
  deps: SendDeps,
  ctx: ActionContext,
  content: SendContent,
): Promise<ActionResult> {
  const { idempotencyKey, runId, stepId, workspaceId, journeyId, customer, order, trigger, steps } = ctx;
  const result = await deps.send({
    ...content,
    idempotencyKey,
    runId,
    stepId,
    workspaceId,
    journeyId,
    customer,
    order,
    trigger,
    steps,
  } as SendRequest);
  return {
    status: result.status === 'sent' || result.status === 'queued' ? 'ok' : 'skipped',
    ...(result.reason ? { detail: result.reason } : {}),
    output: { messageId: result.messageId, sendStatus: result.status },
  };
}
