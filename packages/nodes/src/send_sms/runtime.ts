import { sendWithContext } from '../send-runtime';
import { defineAction } from '../services';
import { SmsActionInput } from './definition';

/** `sms.send`: delegates rendering, consent, quiet hours and delivery to the messages service. */
export const smsAction = defineAction({
  key: 'sms.send',
  input: SmsActionInput,
  services: ['messages'],
  run: (input, ctx, { messages }) => sendWithContext(messages, ctx, { channel: 'sms', ...input }),
});
