import { z } from 'zod';
import { PreviewBody } from './analytics';
import { ApiErrorBody, Uuid } from './common';

// Test sends and per-workspace provider settings (Resend, Twilio).

const EMAIL = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** `POST /v1/test-send`: a message node's content (as `POST /v1/preview` takes it) rendered for a real customer and sent to `to`. */
export const TestSendBody = PreviewBody.extend({
  /** An email address for email, an E.164 phone number (+15551234567) for SMS. */
  to: z.string().trim().min(1).max(320),
}).superRefine((body, ctx) => {
  const ok = body.content.channel === 'email' ? EMAIL.test(body.to) : E164.test(body.to);
  if (!ok)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message:
        body.content.channel === 'email'
          ? 'an email address'
          : 'a phone number in E.164 format, e.g. +15551234567',
    });
});
export type TestSendBody = z.infer<typeof TestSendBody>;

/** The test message as recorded in the message log (marked as a test, never counted toward caps). */
export const TestSendResult = z.object({
  messageId: Uuid,
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  provider: z.string(),
  status: z.string(),
});
export type TestSendResult = z.infer<typeof TestSendResult>;

/** A provider refused or could not be reached (HTTP 502): its own code and message, and the recorded message. */
export const ProviderErrorBody = ApiErrorBody.extend({
  provider: z.string(),
  /** Our classification: invalid_recipient, rejected, rate_limited, provider_unavailable, network, … */
  reason: z.string(),
  providerCode: z.string().nullable(),
  providerStatus: z.number().int().nullable(),
  messageId: Uuid.nullable(),
});
export type ProviderErrorBody = z.infer<typeof ProviderErrorBody>;

/** A write-only secret as shown back: whether it is set and its last four characters. */
export const SecretHint = z.object({ set: z.boolean(), hint: z.string().nullable() });
export type SecretHint = z.infer<typeof SecretHint>;

/** Where a channel's provider comes from: the workspace's own settings, the server's environment, or neither (outbox). */
export const ProviderSource = z.enum(['workspace', 'environment', 'outbox']);
export type ProviderSource = z.infer<typeof ProviderSource>;

/** `GET /v1/workspace/channels`: stored provider settings, secrets masked, and the webhook URLs to give the providers. */
export const ChannelSettingsView = z.object({
  email: z.object({
    provider: z.string(),
    source: ProviderSource,
    from: z.string().nullable(),
    replyTo: z.string().nullable(),
    baseUrl: z.string().nullable(),
    apiKey: SecretHint,
    webhookSecret: SecretHint,
    /** Where to point Resend's webhook for this workspace. */
    webhookUrl: z.string(),
  }),
  sms: z.object({
    provider: z.string(),
    source: ProviderSource,
    accountSid: z.string().nullable(),
    from: z.string().nullable(),
    messagingServiceSid: z.string().nullable(),
    baseUrl: z.string().nullable(),
    authToken: SecretHint,
    /** Status callbacks of messages sent with these settings go here. */
    statusCallbackUrl: z.string(),
    /** Where to point the Twilio number's incoming-message webhook. */
    inboundUrl: z.string(),
  }),
});
export type ChannelSettingsView = z.infer<typeof ChannelSettingsView>;

/** A secret in a PUT: omitted keeps the stored value, null clears it, a string replaces it. */
const SecretInput = z.string().trim().min(1).max(500).nullable().optional();
/** A plain setting in a PUT, like a secret: omitted keeps it, null clears it. */
const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

const Sender = z
  .string()
  .trim()
  .max(320)
  .refine((v) => EMAIL.test(v.match(/<([^>]+)>\s*$/)?.[1] ?? v), 'an address, or "Name <address>"');
const BaseUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL');

/** Email (Resend) settings in `PUT /v1/workspace/channels`. */
export const EmailChannelInput = z.object({
  apiKey: SecretInput,
  from: optional(Sender),
  replyTo: optional(z.string().trim().max(320).regex(EMAIL, 'an email address')),
  baseUrl: optional(BaseUrl),
  /** Svix signing secret of the Resend webhook (whsec_…). */
  webhookSecret: SecretInput.refine((v) => v == null || /^whsec_[A-Za-z0-9+/=]+$/.test(v), 'whsec_…'),
});
export type EmailChannelInput = z.infer<typeof EmailChannelInput>;

/**
 * SMS (Twilio) settings in `PUT /v1/workspace/channels`. Once merged with what is stored, an
 * account SID needs a sender number or a messaging service SID (else 400 on `sms.from`).
 */
export const SmsChannelInput = z.object({
  accountSid: optional(
    z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex characters'),
  ),
  authToken: SecretInput,
  from: optional(z.string().trim().regex(E164, 'a phone number in E.164 format, e.g. +15551234567')),
  messagingServiceSid: optional(
    z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hex characters'),
  ),
  baseUrl: optional(BaseUrl),
});
export type SmsChannelInput = z.infer<typeof SmsChannelInput>;

/**
 * `PUT /v1/workspace/channels` (admins). Every field, secret or not: omitted keeps the stored
 * value, null clears it, a value replaces it. Secrets are write-only: GET shows only a hint.
 */
export const ChannelSettingsPut = z.object({
  email: EmailChannelInput.optional(),
  sms: SmsChannelInput.optional(),
});
export type ChannelSettingsPut = z.infer<typeof ChannelSettingsPut>;
