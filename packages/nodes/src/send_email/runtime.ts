import { sendWithContext } from '../send-runtime';
import { defineAction } from '../services';
import { EmailActionInput } from './definition';

/** `email.send`: delegates rendering, consent and delivery to the messages service. */
export const emailAction = defineAction({
  key: 'email.send',
  input: EmailActionInput,
  services: ['messages'],
  run: (input, ctx, { messages }) => sendWithContext(messages, ctx, { channel: 'email', ...input }),
});
