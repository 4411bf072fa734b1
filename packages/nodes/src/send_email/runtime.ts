import type { ActionRuntimeFactory, SendDeps } from '../action-types';
import { ActionError } from '../action-types';
import { EmailActionInput } from './definition';

/** `email.send`: validates the step input and delegates rendering, consent and delivery to `deps.send`. */
export const emailRuntime: ActionRuntimeFactory<SendDeps> = (deps) => async (input, ctx) => {
  const parsed = EmailActionInput.safeParse(input);
  if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
  const { idempotencyKey, runId, stepId, workspaceId, journeyId, customer, order, trigger } = ctx;
  const result = await deps.send({
    channel: 'email',
    ...parsed.data,
    idempotencyKey,
    runId,
    stepId,
    workspaceId,
    journeyId,
    customer,
    order,
    trigger,
  });
  return {
    status: result.status === 'sent' || result.status === 'queued' ? 'ok' : 'skipped',
    ...(result.reason ? { detail: result.reason } : {}),
    output: { messageId: result.messageId, sendStatus: result.status },
  };
};
