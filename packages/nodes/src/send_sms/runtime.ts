import type { ActionRuntimeFactory, SendDeps } from '../action-types';
import { ActionError } from '../action-types';
import { sendWithContext } from '../send-runtime';
import { SmsActionInput } from './definition';

/** `sms.send`: validates the step input and delegates rendering, consent and delivery to `deps.send`. */
export const smsRuntime: ActionRuntimeFactory<SendDeps> = (deps) => async (input, ctx) => {
  const parsed = SmsActionInput.safeParse(input);
  if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
  return sendWithContext(deps, ctx, { channel: 'sms', ...parsed.data });
};
