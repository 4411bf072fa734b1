import { z } from 'zod';
import { Paging, Timestamp, Uuid } from './common';

/** `GET /v1/messages/inbound`: filters of the inbound texts (replies) log. */
export const InboundMessageQuery = Paging.extend({
  /** Only texts that found no customer (from a number the workspace has no customer for). */
  unmatched: z.enum(['true', 'false']).optional(),
  customerId: Uuid.optional(),
});
export type InboundMessageQuery = z.infer<typeof InboundMessageQuery>;

/** A text a customer (or an unknown number) sent to the workspace's number. */
export const InboundMessageRow = z.object({
  id: Uuid,
  fromAddress: z.string(),
  toAddress: z.string().nullable(),
  body: z.string(),
  mediaCount: z.number().int(),
  mediaUrls: z.array(z.string()),
  /** Trimmed, upper-cased first word ("YES", "5", "STOP"); null for an empty body (an MMS photo). */
  keyword: z.string().nullable(),
  /** Whose text it is; null when unmatched (no customer has the number). */
  customerId: Uuid.nullable(),
  customerLabel: z.string().nullable(),
  /** Our message it answers (the latest text we sent to the number). */
  replyToMessageId: Uuid.nullable(),
  /** The `sms.replied` event it became; null when unmatched. */
  eventId: z.string().nullable(),
  matched: z.boolean(),
  receivedAt: Timestamp,
});
export type InboundMessageRow = z.infer<typeof InboundMessageRow>;
