import type { Provider } from '@hourglass/db';

/** A rendered email ready for a provider. */
export interface OutgoingEmail {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  idempotencyKey: string;
  tags: Record<string, string>;
}

/** A rendered SMS ready for a provider. */
export interface OutgoingSms {
  to: string;
  body: string;
  /** Overrides the configured sender (a node's `sender`). */
  from?: string;
  statusCallback?: string;
  idempotencyKey: string;
}

/** How a provider call failed; `retryable` drives the engine's retry policy. */
export class ProviderFailure extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly providerCode: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  /** The request may have reached the provider (timeout, dropped connection): reconcile before resending. */
  readonly ambiguous: boolean;
  constructor(init: {
    status: number | null;
    code: string;
    message: string;
    providerCode?: string | null;
    retryable: boolean;
    retryAfterMs?: number | null;
    ambiguous?: boolean;
  }) {
    super(init.message);
    this.name = 'ProviderFailure';
    this.status = init.status;
    this.code = init.code;
    this.providerCode = init.providerCode ?? null;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.ambiguous = init.ambiguous ?? false;
  }
}

/** Sends email; throws ProviderFailure. */
export interface EmailProvider {
  readonly name: Provider;
  sendEmail(message: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

/** Sends SMS; throws ProviderFailure. */
export interface SmsProvider {
  readonly name: Provider;
  sendSms(message: OutgoingSms): Promise<{ providerMessageId: string }>;
  /**
   * Finds a message this ledger row already sent (an earlier attempt whose answer was lost), for
   * providers without idempotency keys. Null when none is found.
   */
  findSent?(message: OutgoingSms, since: Date): Promise<string | null>;
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Classifies an HTTP status: 429, 408, 409 and 5xx retry; other 4xx are permanent. */
export function classifyStatus(
  status: number | null,
  init: {
    code?: string;
    message: string;
    providerCode?: string | null;
    retryAfter?: string | null;
    retryable?: boolean;
  },
): ProviderFailure {
  const retryable =
    init.retryable ??
    (status === null || status === 408 || status === 409 || status === 429 || status >= 500);
  const code =
    init.code ??
    (status === null
      ? 'network'
      : status === 429
        ? 'rate_limited'
        : status >= 500
          ? 'provider_unavailable'
          : 'rejected');
  return new ProviderFailure({
    status,
    code,
    message: init.message,
    providerCode: init.providerCode ?? null,
    retryable,
    retryAfterMs: status === 429 ? (parseRetryAfter(init.retryAfter) ?? 1000) : null,
    // Without an answer (or with a 5xx) the provider may or may not have accepted the message.
    ambiguous: status === null || status >= 500,
  });
}
