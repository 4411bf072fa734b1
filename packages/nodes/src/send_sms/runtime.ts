import type { ActionRuntimeFactory, SendDeps } from '../action-types';
import { ActionError } from '../action-types';
import { SmsActionInput } from './definition';

/** `sms.send`: validates the step input and delegates rendering, consent and delivery to `deps.send`. */
export const smsRuntime: ActionRuntimeFactory<SendDeps> = (deps) => async (input, ctx) => {
  const parsed = SmsActionInput.safeParse(input);
  if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
  const { idempotencyKey, runId, stepId, workspaceId, journeyId, customer, order, trigger } = ctx;
  const result = await deps.send({
    channel: 'sms',
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
