import type { ActionRuntimeFactory, SendDeps } from '../action-types';
import { ActionError } from '../action-types';
import { sendWithContext } from '../send-runtime';
import { EmailActionInput } from './definition';

/** `email.send`: validates the step input and delegates rendering, consent and delivery to `deps.send`. */
export const emailRuntime: ActionRuntimeFactory<SendDeps> = (deps) => async (input, ctx) => {
  const parsed = EmailActionInput.safeParse(input);
  if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
  return sendWithContext(deps, ctx, { channel: 'email', ...parsed.data });
};
