import { Resend } from 'resend';
import type { ResendConfig } from '../config';
import { classifyStatus, type EmailProvider, type OutgoingEmail } from './types';

// Resend answers these with 4xx but they are about our account or a concurrent duplicate, not the
// recipient: waiting helps.
const RETRYABLE_NAMES = new Set([
  'rate_limit_exceeded',
  'concurrent_idempotent_requests',
  'application_error',
]);

/** Email through the official Resend SDK; the idempotency key makes retries safe on Resend's side. */
export function resendProvider(config: ResendConfig, opts: { timeoutMs: number }): EmailProvider {
  // An explicit baseUrl wins over RESEND_BASE_URL, which the SDK reads itself.
  const client = new Resend(config.apiKey, config.baseUrl ? { baseUrl: config.baseUrl } : undefined);
  return {
    name: 'resend',
    async sendEmail(m: OutgoingEmail) {
      const { data, error, headers } = await client.emails.send(
        {
          from: m.from,
          to: [m.to],
          subject: m.subject,
          html: m.html,
          text: m.text,
          headers: m.headers,
          tags: Object.entries(m.tags).map(([name, value]) => ({ name, value: sanitizeTag(value) })),
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        },
        // Resend keys must be at most 256 characters; ours are run id + step id.
        { idempotencyKey: m.idempotencyKey.slice(0, 256), signal: AbortSignal.timeout(opts.timeoutMs) },
      );
      if (error) {
        const status = error.statusCode ?? null;
        const badRecipient = status === 422 && /\bto\b|recipient|address/i.test(error.message);
        throw classifyStatus(status, {
          message: error.message,
          providerCode: error.name,
          retryAfter: headers?.['retry-after'] ?? null,
          ...(badRecipient ? { code: 'invalid_recipient' } : {}),
          ...(RETRYABLE_NAMES.has(error.name) ? { retryable: true } : {}),
        });
      }
      if (!data?.id) throw classifyStatus(null, { message: 'Resend answered without an email id' });
      return { providerMessageId: data.id };
    },
  };
}

// Resend tags allow ASCII letters, numbers, underscores and dashes only.
const sanitizeTag = (v: string) => v.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
