import { randomUUID } from 'node:crypto';
import type { EmailProvider, SmsProvider } from './types';

/**
 * The local sink used without provider keys: the ledger row already holds the rendered content,
 * so "sending" only assigns an id; the UI's outbox lists these messages.
 */
export function outboxProvider(): EmailProvider & SmsProvider {
  return {
    name: 'outbox',
    sendEmail: async () => ({ providerMessageId: `outbox_${randomUUID()}` }),
    sendSms: async () => ({ providerMessageId: `outbox_${randomUUID()}` }),
  };
}
