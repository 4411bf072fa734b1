import type { Json, RuleReason } from '@hourglass/journey';
import { z } from 'zod';

// Shapes of jsonb columns. Defined once as zod so the API can validate them and the columns use
// the inferred type via $type<T>().

/** Consent state of one channel. */
export const ConsentState = z.enum(['subscribed', 'unsubscribed', 'unknown']);
export type ConsentState = z.infer<typeof ConsentState>;

/** Per-channel marketing consent of a customer. */
export const Consent = z.object({
  email: ConsentState.default('unknown'),
  sms: ConsentState.default('unknown'),
});
export type Consent = z.infer<typeof Consent>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** Days of history kept: at least a month (journeys look back that far), at most ten years. */
export const RetentionDays = z.number().int().min(30).max(3650);

/** Workspace-wide sending rules and brand used by templates. */
export const WorkspaceSettings = z.object({
  quietHours: z.object({ start: ClockTime, end: ClockTime }).default({ start: '21:00', end: '08:00' }),
  frequencyCaps: z
    .object({ emailHours: z.number().min(0), smsHours: z.number().min(0) })
    .default({ emailHours: 16, smsHours: 24 }),
  brand: z
    .object({
      name: z.string().default(''),
      color: z.string().default('#111827'),
      logoUrl: z.string().nullable().default(null),
      address: z.string().default(''),
      /** Where follow-ups meant for the brand's own team go (a send-email step "to support"). */
      supportEmail: z.string().default(''),
    })
    .default({ name: '', color: '#111827', logoUrl: null, address: '', supportEmail: '' }),
  /**
   * Link templates (`https://shop.example/review/{order.number}`, see linkTemplateProblem of
   * @hourglass/journey) that `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl` resolve from
   * when the order does not carry its own.
   */
  links: z
    .object({
      reviewUrl: z.string().nullable().default(null),
      reorderUrl: z.string().nullable().default(null),
      statusUrl: z.string().nullable().default(null),
    })
    .default({ reviewUrl: null, reorderUrl: null, statusUrl: null }),
  /** The brand's own IANA time zone, chosen when the workspace is created (absent: UTC). */
  timezone: z.string().optional(),
  /**
   * Links of sent messages go through our own redirect (`/r/…`), which records `message.clicked`.
   * On for SMS (carriers report no clicks); off for email, where the provider's click tracking reports them.
   */
  trackLinks: z
    .object({ sms: z.boolean().default(true), email: z.boolean().default(false) })
    .default({ sms: true, email: false }),
  /**
   * How long raw history is kept (queries/retention): events by when they happened, and the steps and
   * message status histories of runs that ended that long ago. Orders, customers, runs themselves and
   * anything of an active run are kept for good. 400 days: a year-over-year comparison still works.
   */
  retention: z
    .object({ eventsDays: RetentionDays.default(400), runHistoryDays: RetentionDays.default(400) })
    .default({ eventsDays: 400, runHistoryDays: 400 }),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/** Settings a new workspace starts with. */
export const defaultWorkspaceSettings = (): WorkspaceSettings => WorkspaceSettings.parse({});

/** What a waiting run is waiting for (shown in the runs list); `reason` says why a sleep (`quiet_hours`). */
export const WaitingFor = z.object({
  kind: z.enum(['sleep', 'await']),
  until: z.string().nullable(),
  eventType: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
});
export type WaitingFor = z.infer<typeof WaitingFor>;

/** One line item of an order. */
export const OrderItem = z
  .object({
    sku: z.string().optional(),
    productId: z.string().optional(),
    name: z.string().optional(),
    quantity: z.number().default(1),
    price: z.number().optional(),
    /** The product's page and picture, when the shop sends them (shown by recommendations). */
    url: z.string().optional(),
    imageUrl: z.string().optional(),
  })
  .loose();
export type OrderItem = z.infer<typeof OrderItem>;

/** A branch's reason: one compared condition, and the case (output port) it was evaluated for. */
export type CaseReason = RuleReason & { case: string };

/**
 * Why a step went the way it did, as support reads it (`text`): a branch's compared condition and the
 * `case` it belongs to, a random split's `weights`, or why an action was skipped or deferred (`reason`;
 * a deferral adds until when, the quiet-hours window and the customer's zone).
 */
export type StepReason =
  | CaseReason
  | { text: string; weights: Array<{ port: string; percent: number }> }
  | {
      text: string;
      reason: string;
      until?: string;
      window?: { start: string; end: string } | null;
      timeZone?: string | null;
    };

/** Plain JSON object stored in jsonb. */
export type JsonObject = { [key: string]: Json };

/** Why an action attempt failed: the error type, and for sends the provider's status, code and message. */
export const AttemptError = z.object({
  type: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  provider: z.string().nullable().optional(),
  status: z.number().nullable().optional(),
  providerCode: z.string().nullable().optional(),
});
export type AttemptError = z.infer<typeof AttemptError>;

/** Why an attempt was deferred: quiet hours (the local window) in the customer's zone. */
export const AttemptReason = z.object({
  kind: z.string(),
  window: z.object({ start: z.string(), end: z.string() }).nullable().optional(),
  timeZone: z.string().nullable().optional(),
});
export type AttemptReason = z.infer<typeof AttemptReason>;
