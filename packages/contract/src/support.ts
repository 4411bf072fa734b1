import { z } from 'zod';
import { Instant, Paging, Timestamp, Uuid } from './common';
import { Run } from './customers';

// Customer-success views: the run timeline in plain words, run / message actions, the message log.

/** A run as listed on a customer's profile: journey name and where it is (or why it ended) in words. */
export const CustomerRun = Run.extend({
  journeyName: z.string(),
  /** "Waiting at review_sms until …", "Ended: goal reached", "Ended: Reviewed" (an exit's label), … */
  state: z.string(),
  /** The label of the exit node the run ended at ("Reviewed"); null when it did not end at an exit. */
  exitLabel: z.string().nullable(),
});
export type CustomerRun = z.infer<typeof CustomerRun>;

/** `GET /v1/customers/:id/runs`: a page of runs, newest started first (older ones: `?before=` nextCursor). */
export const CustomerRunsPage = z.object({ runs: z.array(CustomerRun), nextCursor: z.string().nullable() });
export type CustomerRunsPage = z.infer<typeof CustomerRunsPage>;

/** One entry of a message's status history. */
export const MessageStatusEntry = z.object({
  status: z.string(),
  at: Timestamp,
  detail: z.string().nullish(),
});

/** A message as the customer saw it (rendered content) with its delivery history. */
export const MessageView = z.object({
  id: Uuid,
  runId: Uuid.nullable(),
  stepId: z.string().nullable(),
  /** Whose message it is; null for a test send, which went to a tester (`toAddress`), not a customer. */
  customerId: Uuid.nullable(),
  journeyId: Uuid.nullable(),
  channel: z.string(),
  provider: z.string(),
  providerMessageId: z.string().nullable(),
  idempotencyKey: z.string(),
  toAddress: z.string(),
  fromAddress: z.string().nullable(),
  subject: z.string().nullable(),
  preheader: z.string().nullable(),
  bodyHtml: z.string().nullable(),
  bodyText: z.string().nullable(),
  status: z.string(),
  skipReason: z.string().nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  statusHistory: z.array(MessageStatusEntry),
  transactional: z.boolean(),
  /** A test send from the editor (`POST /v1/test-send`): to a tester, never attributed to a customer. */
  test: z.boolean(),
  /**
   * Which consent rule let it go out ("Sent although unsubscribed from marketing email: opt-out does not
   * apply to transactional messages"); null for a message not sent to a customer or sent before this was kept.
   */
  consentNote: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
});
export type MessageView = z.infer<typeof MessageView>;

/** How a timeline entry reads at a glance. */
export const TimelineTone = z.enum(['ok', 'info', 'waiting', 'skipped', 'failed']);
export type TimelineTone = z.infer<typeof TimelineTone>;

/** One attempt of an action step in words: a retry with its error, a deferral, the final outcome. */
export const TimelineAttempt = z.object({
  /** Temporal's attempt number (a deferred step that runs again counts from 1 again). */
  attempt: z.number().int(),
  at: Timestamp,
  /** `ok`, `skipped`, `failed` or `deferred`. */
  outcome: z.string(),
  /** "Attempt 1 at 10:02 — Twilio 503: Service Unavailable; retried". */
  text: z.string(),
});
export type TimelineAttempt = z.infer<typeof TimelineAttempt>;

/** One step of a run, explained. */
export const TimelineEntry = z.object({
  stepId: z.string(),
  nodeId: z.string(),
  nodeLabel: z.string().nullable(),
  /** A plan primitive, or `entry` for the first entry: why the run started (trigger event, entry rule). */
  primitive: z.string(),
  seq: z.number().int(),
  at: Timestamp,
  finishedAt: Timestamp.nullable(),
  outcome: z.string().nullable(),
  port: z.string().nullable(),
  tone: TimelineTone,
  /** The what and why in one line: "Branch → Loyal: AOV $312.40 > $300". */
  title: z.string(),
  /** Further lines: each compared value, provider error, retries. */
  details: z.array(z.string()),
  /** Messages of this step (the original and any manual retries). */
  messages: z.array(MessageView),
  /** Action steps: every attempt, oldest first (empty for other steps and older runs). */
  attempts: z.array(TimelineAttempt),
  /** What the step's action produced, under the name later steps read it by (`steps.<name>`). */
  output: z
    .object({ name: z.string().nullable(), values: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** `GET /v1/runs/:id/timeline`. */
export const RunTimelineView = z.object({
  run: CustomerRun,
  customer: z.object({
    id: Uuid,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    timezone: z.string().nullable(),
  }),
  entries: z.array(TimelineEntry),
  /** What the run waits for now, in words, and until when; null when not waiting. */
  waiting: z.object({ text: z.string(), until: Timestamp.nullable() }).nullable(),
  /** The run in the Temporal UI. */
  temporalUrl: z.string(),
});
export type RunTimelineView = z.infer<typeof RunTimelineView>;

/** Body of support actions: why the agent acts (kept in the audit log). */
export const ActionReasonBody = z.object({ reason: z.string().trim().min(1).max(1000) });
export type ActionReasonBody = z.infer<typeof ActionReasonBody>;

/** `POST /v1/runs/:id/cancel`. */
export const CancelRunResult = z.object({
  run: Run,
  /** False when the workflow had already ended (the run is marked cancelled in the database only if still active). */
  signalled: z.boolean(),
});
export type CancelRunResult = z.infer<typeof CancelRunResult>;

/** `POST /v1/messages/:id/retry`: the new message (sent, skipped by policy, or failed again). */
export const RetryMessageResult = z.object({ message: MessageView, original: Uuid });
export type RetryMessageResult = z.infer<typeof RetryMessageResult>;

/** `GET /v1/messages`. Dates are inclusive ISO timestamps on created_at. */
export const MessageListQuery = Paging.extend({
  channel: z.enum(['email', 'sms']).optional(),
  status: z.string().max(40).optional(),
  journeyId: Uuid.optional(),
  customerId: Uuid.optional(),
  runId: Uuid.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

/** Whose a message is and what sent it, as the message log and the message detail show it. */
const MessageContext = {
  customerEmail: z.string().nullable(),
  customerName: z.string().nullable(),
  /** Name, else email, phone or external id; null for a test send (no customer). */
  customerLabel: z.string().nullable(),
  journeyName: z.string().nullable(),
};

/** A row of the message log. */
export const MessageLogRow = MessageView.omit({ bodyHtml: true }).extend(MessageContext);
export type MessageLogRow = z.infer<typeof MessageLogRow>;

/** `GET /v1/messages/:id`: the message as sent, whose it is, and the journey step that sent it. */
export const MessageDetail = MessageView.extend({
  ...MessageContext,
  /** The label of the step that sent it ("Review email"); null for a test send. */
  stepLabel: z.string().nullable(),
});
export type MessageDetail = z.infer<typeof MessageDetail>;
