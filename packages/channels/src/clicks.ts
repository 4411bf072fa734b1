import { type AttributedMessage, appendMessageStatus, type Db, recordMessageClick } from '@hourglass/db';
import { emitEngagementEvent } from './engagement';
import { botReason, DEFAULT_LINK_TTL_DAYS } from './links';
import { engagementEventId } from './status-events';

/** The link a valid, unexpired token names in its message, or null (a 404: nothing is recorded). */
export function trackedLink(
  found: AttributedMessage | null,
  index: number,
  now: Date,
  ttlDays = DEFAULT_LINK_TTL_DAYS,
): string | null {
  const links = found?.message.links;
  if (!found || !links || index >= links.length) return null;
  const sent = found.message.sentAt ?? found.message.createdAt;
  if (now.getTime() - sent.getTime() > ttlDays * 86_400_000) return null;
  return links[index] ?? null;
}

/** When the message reached the phone or inbox, as far as we know (the delivery report, else the send). */
function deliveredAt(found: AttributedMessage): Date | null {
  const delivered = found.message.statusHistory.find((h) => h.status === 'delivered');
  const at = delivered ? new Date(delivered.at) : found.message.sentAt;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** A request of a tracked link, as the redirect saw it. */
export interface TrackedRequest {
  method: string;
  userAgent: string | undefined;
  now: Date;
}

/**
 * Records a request of link `index` of a message: always as a click row (flagged, with why, when a bot,
 * a link preview, a HEAD request or too soon after delivery), and for a person's first click on the
 * message a `message.clicked` event with the URL and the message's ids (the same event id a provider's
 * click report uses, so one click is one event) and the message's `clicked` status.
 */
export async function recordTrackedClick(
  db: Db,
  found: AttributedMessage,
  index: number,
  url: string,
  req: TrackedRequest,
): Promise<{ bot: string | null; eventId: string | null }> {
  const { message, attribution } = found;
  const delivered = deliveredAt(found);
  const bot = botReason({
    method: req.method,
    userAgent: req.userAgent,
    sinceDeliveryMs: delivered ? req.now.getTime() - delivered.getTime() : null,
  });
  const row = {
    workspaceId: message.workspaceId,
    messageId: message.id,
    linkIndex: index,
    url,
    userAgent: req.userAgent?.slice(0, 500) ?? null,
    bot: bot !== null,
    botReason: bot,
  };
  // A test send's click is nobody's engagement.
  if (bot || !message.customerId || message.test) {
    await recordMessageClick(db, row);
    return { bot, eventId: null };
  }
  const customerId = message.customerId;
  return db.transaction(async (tx) => {
    const event = await emitEngagementEvent(tx, message.workspaceId, {
      id: engagementEventId('message.clicked', message.id),
      type: 'message.clicked',
      customerId,
      attribution,
      properties: { channel: message.channel, url, linkIndex: index },
    });
    await recordMessageClick(tx, { ...row, eventId: event.eventId });
    if (event.inserted)
      await appendMessageStatus(tx, message.workspaceId, message.id, 'clicked', { detail: url });
    return { bot: null, eventId: event.eventId };
  });
}
