import { z } from 'zod';
import { Instant } from './common';

// Provider webhooks. A valid signature proves who sent a body, not that it has the documented
// shape: these schemas run after verification, so a signed but malformed body is a 400 (the sender
// stops after its retries) instead of a crash deep in tracking. Fields Hourglass does not read are
// kept as received; event types it does not know pass and are recorded as ignored.

/** A provider's delivery id (`svix-id`), the key that de-duplicates retries. */
export const WebhookDeliveryId = z.string().min(1).max(200);

/** A Resend event (via Svix): `type` and a `data` object, with the fields tracking reads typed. */
export const ResendWebhook = z.looseObject({
  type: z.string().min(1).max(100),
  // An unreadable provider clock must not lose a bounce: the event then counts at its receipt.
  created_at: Instant.optional().catch(undefined),
  data: z.looseObject({
    email_id: z.string().min(1).max(200).optional(),
    bounce: z
      .looseObject({ type: z.string().max(100).optional(), message: z.string().max(5000).optional() })
      .optional(),
    click: z.looseObject({ link: z.string().max(10_000).optional() }).optional(),
  }),
});
export type ResendWebhook = z.infer<typeof ResendWebhook>;

// Twilio SIDs are 34 letters and digits; the emulator's and older test ones are shorter.
const TwilioSid = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9]+$/, 'a Twilio SID');
// Form fields are strings; the ones Hourglass does not read are kept, within reason.
const otherFields = z.string().max(10_000);

/** A Twilio message status callback (form fields). Without a SID it is recorded as ignored. */
export const TwilioStatusCallback = z
  .object({
    MessageSid: TwilioSid.optional(),
    SmsSid: TwilioSid.optional(),
    MessageStatus: z.string().max(40).optional(),
    SmsStatus: z.string().max(40).optional(),
    ErrorCode: z
      .string()
      .regex(/^\d{0,10}$/, 'a numeric Twilio error code')
      .optional(),
  })
  .catchall(otherFields);
export type TwilioStatusCallback = z.infer<typeof TwilioStatusCallback>;

/** An inbound SMS from Twilio (form fields). Without a sender or SID it is ignored. */
export const TwilioInboundSms = z
  .object({
    MessageSid: TwilioSid.optional(),
    SmsSid: TwilioSid.optional(),
    From: z.string().max(64).optional(),
    To: z.string().max(64).optional(),
    Body: z.string().max(5000).optional(),
  })
  .catchall(otherFields);
export type TwilioInboundSms = z.infer<typeof TwilioInboundSms>;
