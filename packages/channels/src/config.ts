import { type OutboundPolicy, outboundPolicyFromEnv } from '@hourglass/outbound';
import { z } from 'zod';
import { resolveSecretKey } from './secret-key';
import { type ShopifyConfig, shopifyConfigFromEnv } from './shopify/config';

/** Resend credentials; `baseUrl` points the SDK at another host (the test emulator). */
export const ResendConfig = z.object({
  apiKey: z.string().min(1),
  from: z.string().optional(),
  /** Default Reply-To when a node names none. */
  replyTo: z.string().optional(),
  baseUrl: z.string().optional(),
  /** Svix secret of the workspace's Resend webhook (stored settings only; the environment uses RESEND_WEBHOOK_SECRET). */
  webhookSecret: z.string().optional(),
});
export type ResendConfig = z.infer<typeof ResendConfig>;

/** Twilio credentials; one of `from` and `messagingServiceSid` is needed to send. */
export const TwilioConfig = z.object({
  accountSid: z.string().min(1),
  authToken: z.string().min(1),
  from: z.string().optional(),
  messagingServiceSid: z.string().optional(),
  baseUrl: z.string().optional(),
});
export type TwilioConfig = z.infer<typeof TwilioConfig>;

/** Everything the channels need from the environment. Missing provider keys mean the outbox. */
export interface ChannelsConfig {
  resend: ResendConfig | null;
  twilio: TwilioConfig | null;
  /** Default sender address when neither the node nor the workspace names one. */
  emailFrom: string;
  /** Signs unsubscribe tokens and keys the channel-settings encryption. */
  secretKey: string;
  /** Public base URL of the API (unsubscribe links, Twilio status callbacks and signatures). */
  publicUrl: string;
  resendWebhookSecret: string | null;
  /** Provider call timeout; a hang becomes a retryable error instead of a stuck activity. */
  timeoutMs: number;
  /** What provider calls may reach (HOURGLASS_OUTBOUND_ALLOW); https to public addresses otherwise. */
  outbound: OutboundPolicy;
  /** Days a tracked link (`/r/…`) keeps redirecting after its message was sent (default 90). */
  linkTtlDays?: number;
  /** How Shopify's Admin API is reached (discount codes from the worker); from the environment when absent. */
  shopify?: ShopifyConfig;
}

/** Reads the channel configuration from the environment (no keys → outbox). */
export function channelsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelsConfig {
  const resend = env.RESEND_API_KEY
    ? { apiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, baseUrl: env.RESEND_BASE_URL || undefined }
    : null;
  const twilio =
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM || undefined,
          messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID || undefined,
          baseUrl: env.TWILIO_BASE_URL || undefined,
        }
      : null;
  if (twilio && !twilio.from && !twilio.messagingServiceSid)
    throw new Error('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID');
  return {
    resend,
    twilio,
    emailFrom: env.EMAIL_FROM || 'Hourglass <hello@example.com>',
    secretKey: resolveSecretKey(env),
    publicUrl: (env.HOURGLASS_PUBLIC_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, ''),
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET || null,
    timeoutMs: Number(env.HOURGLASS_PROVIDER_TIMEOUT_MS ?? 10_000),
    outbound: outboundPolicyFromEnv(env),
    linkTtlDays: positiveOr(env.HOURGLASS_LINK_TTL_DAYS, 90),
    shopify: shopifyConfigFromEnv(env),
  };
}

/** A positive number from the environment, else the default (a typo must not make links expire at once). */
function positiveOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
}
