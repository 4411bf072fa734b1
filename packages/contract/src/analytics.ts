import { LINK_TEMPLATE_MAX, linkTemplateProblem } from '@hourglass/journey';
import { EmailBlocks } from '@hourglass/nodes';
import { z } from 'zod';
import { Role } from './access';
import { Instant, JsonObject, Timestamp, Uuid } from './common';

// Journey analytics, workspace list / settings, and message preview.

/** `GET /v1/journeys/:id/analytics?from=&to=`: runs that started in [from, to). Default: last 30 days. */
export const AnalyticsQuery = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  version: z.coerce.number().int().min(1).optional(),
});
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

/** Counts of one canvas node over the runs in range. */
export const NodeAnalytics = z.object({
  nodeId: z.string(),
  /** Visits (run steps recorded at the node). */
  entered: z.number().int(),
  /** Runs parked at the node right now. */
  waiting: z.number().int(),
  /** Messages by furthest status reached: delivered ⊂ sent, opened ⊂ delivered … */
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  /** Messages answered by SMS. */
  replied: z.number().int(),
  /** Messages after which their address unsubscribed (or texted STOP) before receiving another. */
  unsubscribed: z.number().int(),
  failed: z.number().int(),
  /**
   * Conversions attributed to this node's messages, and their revenue: to the last message of the run
   * the customer clicked before converting, else the last one opened, else the last one sent.
   */
  conversions: z.number().int(),
  revenue: z.number(),
  /** Skipped messages (or skipped actions) by reason. */
  skipped: z.record(z.string(), z.number().int()),
  /** Branch counts by port taken (decisions, awaits). */
  ports: z.record(z.string(), z.number().int()),
});
export type NodeAnalytics = z.infer<typeof NodeAnalytics>;

/** A node's figures when nothing has happened there (fresh maps each call). */
export const emptyNodeAnalytics = (nodeId: string): NodeAnalytics => ({
  nodeId,
  entered: 0,
  waiting: 0,
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  unsubscribed: 0,
  failed: 0,
  conversions: 0,
  revenue: 0,
  skipped: {},
  ports: {},
});

/** Journey-level totals over the runs in range. */
export const JourneyAnalytics = z.object({
  journeyId: Uuid,
  from: Timestamp,
  to: Timestamp,
  entries: z.number().int(),
  active: z.number().int(),
  completions: z.number().int(),
  exited: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  /** Runs that reached the goal within the goal window (the engine only credits in-window goals). */
  conversions: z.number().int(),
  revenue: z.number(),
  conversionRate: z.number(),
  goalWindowHours: z.number().nullable(),
  nodes: z.array(NodeAnalytics),
});
export type JourneyAnalytics = z.infer<typeof JourneyAnalytics>;

/** Run counters on the journey list. */
export const JourneyStats = z.object({
  entered: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
});
export type JourneyStats = z.infer<typeof JourneyStats>;

/** `GET /v1/workspaces` item: a workspace the signed-in user belongs to. */
export const WorkspaceChoice = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  role: Role.nullable(),
});
export type WorkspaceChoice = z.infer<typeof WorkspaceChoice>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** A link template: an http(s) URL with `{order.number}`-style placeholders (not Liquid). */
const LinkTemplate = z
  .string()
  .max(LINK_TEMPLATE_MAX)
  .superRefine((value, ctx) => {
    const problem = linkTemplateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullable();

/** Sending rules and brand (the editable part of the settings). */
export const SendingSettings = z.object({
  quietHours: z.object({ start: ClockTime, end: ClockTime }),
  frequencyCaps: z.object({ emailHours: z.number().min(0).max(720), smsHours: z.number().min(0).max(720) }),
  brand: z.object({
    name: z.string().max(200),
    color: z.string().max(20),
    logoUrl: z.string().max(2000).nullable(),
    address: z.string().max(500),
    /** Where follow-ups for the brand's own team go (send-email steps addressed to support); '' = none. */
    supportEmail: z.union([z.literal(''), z.email().max(320)]),
  }),
  /** Where `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl` point when the order does not say. */
  links: z.object({
    reviewUrl: LinkTemplate.describe('Review page, e.g. https://shop.example/review/{order.number}'),
    reorderUrl: LinkTemplate.describe('Reorder page, e.g. https://shop.example/cart/add?sku={sku}'),
    statusUrl: LinkTemplate.describe('Order status page, e.g. https://shop.example/orders/{order.number}'),
  }),
});
export type SendingSettings = z.infer<typeof SendingSettings>;

const RetentionDays = z
  .number()
  .int()
  .min(30, 'keep at least 30 days')
  .max(3650, 'keep at most 3650 days (ten years)');

/** How long raw history is kept (days); orders, customers, runs and active runs' data are kept for good. */
export const RetentionSettings = z.object({
  eventsDays: RetentionDays.describe('Events, by when they happened'),
  runHistoryDays: RetentionDays.describe('Steps and message status histories of runs that ended'),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

/** Which channels' links go through Hourglass's own redirect (`/r/…`), which records clicks. */
export const TrackLinksSettings = z.object({
  sms: z.boolean().describe('Track links in texts (default on: carriers report no clicks)'),
  email: z
    .boolean()
    .describe("Track links in email (default off: the provider's click tracking reports them)"),
});
export type TrackLinksSettings = z.infer<typeof TrackLinksSettings>;

/** `GET /v1/workspace/settings`: sending rules, brand, retention, and which provider each channel uses. */
export const WorkspaceSettingsView = SendingSettings.extend({
  retention: RetentionSettings,
  trackLinks: TrackLinksSettings,
  channels: z.object({
    email: z.object({ provider: z.string(), configured: z.boolean() }),
    sms: z.object({ provider: z.string(), configured: z.boolean() }),
  }),
});
export type WorkspaceSettingsView = z.infer<typeof WorkspaceSettingsView>;

/** `PATCH /v1/workspace/settings` (owners). */
export const WorkspaceSettingsPatch = z.object({
  quietHours: SendingSettings.shape.quietHours.optional(),
  frequencyCaps: SendingSettings.shape.frequencyCaps.partial().optional(),
  brand: SendingSettings.shape.brand.partial().optional(),
  links: SendingSettings.shape.links.partial().optional(),
  retention: RetentionSettings.partial().optional(),
  trackLinks: TrackLinksSettings.partial().optional(),
});
export type WorkspaceSettingsPatch = z.infer<typeof WorkspaceSettingsPatch>;

/** `POST /v1/preview`: render a message node's content for a real customer (and optionally an order). */
export const PreviewBody = z.object({
  customerId: Uuid,
  orderId: Uuid.optional(),
  content: z.discriminatedUnion('channel', [
    z.object({
      channel: z.literal('email'),
      subject: z.string().max(300),
      preheader: z.string().max(300).default(''),
      body: z.string().max(200_000),
      /** The blocks of a composer email (then `body` is ignored); checked like a publish checks them. */
      blocks: EmailBlocks.optional(),
      transactional: z.boolean().default(false),
    }),
    z.object({
      channel: z.literal('sms'),
      text: z.string().max(2000),
      transactional: z.boolean().default(false),
    }),
  ]),
  /** Sample outputs of the steps before the message, by step name (`{{ steps.<name>.<field> }}`). */
  steps: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a step name'), JsonObject)
    .refine((s) => Object.keys(s).length <= 50, 'at most 50 steps')
    .refine((s) => JSON.stringify(s).length <= 64 * 1024, 'at most 64 KB of sample outputs')
    .optional()
    .describe('Sample outputs of earlier steps (what a run would have), by step name'),
});
export type PreviewBody = z.infer<typeof PreviewBody>;

/** A `{{ variable }}` that renders nothing for the preview's customer and order, and what to do about it. */
export const PreviewWarning = z.object({
  variable: z.string().describe('The variable as written, e.g. order.reviewUrl'),
  fields: z.array(z.string()).describe('Where it is used: subject, preheader, body or text'),
  message: z.string(),
});
export type PreviewWarning = z.infer<typeof PreviewWarning>;

/** The rendered preview (with a warning per variable that renders empty), or the template error. */
export const PreviewResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    channel: z.enum(['email', 'sms']),
    subject: z.string().nullable(),
    preheader: z.string().nullable(),
    html: z.string().nullable(),
    text: z.string(),
    /**
     * An SMS as it is sent when its links go through the click-tracking redirect (each shortened to
     * `<public URL>/r/<token>`); `segments` counts this text. Absent when no link is tracked.
     */
    sentText: z.string().optional(),
    segments: z.number().int().nullable(),
    warnings: z.array(PreviewWarning),
  }),
  z.object({ ok: z.literal(false), field: z.string(), message: z.string() }),
]);
export type PreviewResult = z.infer<typeof PreviewResult>;
