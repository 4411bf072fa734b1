import { type Executor, insertEventOnce, type JsonObject, type MessageAttribution } from '@hourglass/db';

/**
 * Engagement with a message we sent (delivered, opened, clicked, bounced, complained) and replies to
 * it are events like any other: stored with their routing outbox row, so a wait for `message.clicked`
 * or `sms.replied` wakes durably and a branch can ask about this journey's own message. Every such event
 * carries the message's ids under the same names (messageId, runId, journeyId, journeyVersion, stepId).
 */
export type MessageEngagementType =
  | 'message.delivered'
  | 'message.opened'
  | 'message.clicked'
  | 'message.bounced'
  | 'message.complained'
  | 'sms.replied';

/** One engagement to record as an event. */
export interface MessageEngagement {
  /** Idempotency key of the event: the same engagement reported twice is one event. */
  id: string;
  type: MessageEngagementType;
  customerId: string;
  /** The message engaged with; null for a reply that answers no message of ours. */
  attribution: MessageAttribution | null;
  /** What else the event says (url, body, keyword, rating …). */
  properties?: JsonObject;
  occurredAt?: Date;
}

/** The attribution ids as event properties (nulls kept, so a rule can ask "sent by no journey"). */
export function attributionProperties(a: MessageAttribution | null): JsonObject {
  return {
    messageId: a?.messageId ?? null,
    runId: a?.runId ?? null,
    journeyId: a?.journeyId ?? null,
    journeyVersion: a?.journeyVersion ?? null,
    stepId: a?.stepId ?? null,
  };
}

/** Stores the engagement event once (by id) with its outbox row; inserted false for a repeat. */
export async function emitEngagementEvent(
  db: Executor,
  workspaceId: string,
  e: MessageEngagement,
): Promise<{ inserted: boolean; eventId: string }> {
  const { inserted, event } = await insertEventOnce(db, workspaceId, {
    id: e.id,
    type: e.type,
    customerId: e.customerId,
    properties: { ...(e.properties ?? {}), ...attributionProperties(e.attribution) },
    occurredAt: e.occurredAt,
  });
  return { inserted, eventId: event.id };
}
