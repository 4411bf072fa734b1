import { dispatcherFor, type OutboundPolicy } from '@hourglass/outbound';
import { Resend } from 'resend';
import type { ResendConfig } from '../config';
import { outboundFailure, remoteCode, statusText } from './outbound';
import { classifyStatus, type EmailProvider, type OutgoingEmail } from './types';

// Resend answers these with 4xx but they are about our account or a concurrent duplicate, not the
// recipient: waiting helps.
const RETRYABLE_NAMES = new Set([
  'rate_limit_exceeded',
  'concurrent_idempotent_requests',
  'application_error',
]);

const RESEND_API = 'https://api.resend.com';

/**
 * Email through the official Resend SDK; the idempotency key makes retries safe on Resend's side.
 * The SDK's requests go through the outbound client's guarded connections (its `dispatcher`),
 * redirects are not followed, and a remote error body never becomes our message.
 */
export function resendProvider(
  config: ResendConfig,
  opts: { timeoutMs: number; outbound: OutboundPolicy },
): EmailProvider {
  // An explicit baseUrl wins over RESEND_BASE_URL (the SDK would read it itself; read it here so it is checked).
  const baseUrl = (config.baseUrl || process.env.RESEND_BASE_URL || RESEND_API).replace(/\/$/, '');
  const client = new Resend(config.apiKey, { baseUrl });
  const dispatcher = dispatcherFor(opts.outbound);
  return {
    name: 'resend',
    async sendEmail(m: OutgoingEmail) {
      const refused = await outboundFailure(opts.outbound, baseUrl, 'before');
      if (refused) throw refused;
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
        {
          idempotencyKey: m.idempotencyKey.slice(0, 256),
          signal: AbortSignal.timeout(opts.timeoutMs),
          // Passed through to fetch by the SDK.
          ...{ dispatcher, redirect: 'manual' },
        },
      );
      if (error) {
        const status = error.statusCode ?? null;
        // The SDK hides why a request could not be made: a refused address must not be retried.
        if (status === null) {
          const blocked = await outboundFailure(opts.outbound, baseUrl, 'after');
          if (blocked) throw blocked;
        }
        const badRecipient = status === 422 && /\bto\b|recipient|address/i.test(error.message);
        const providerCode = remoteCode(error.name);
        throw classifyStatus(status, {
          message: badRecipient
            ? 'Resend refused the recipient address as invalid'
            : status === null
              ? 'Resend could not be reached'
              : statusText(status),
          providerCode,
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
