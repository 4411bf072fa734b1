import { type Executor, getAttributedMessage, type Message, type MessageStatus } from '@hourglass/db';
import { emitEngagementEvent, type MessageEngagementType } from './engagement';

// Provider status webhooks (Resend, Twilio) as engagement events, so journeys can wait for and branch
// on them; the message's own status is updated by the webhook as before.

const STATUS_EVENT: Partial<Record<MessageStatus, MessageEngagementType>> = {
  delivered: 'message.delivered',
  opened: 'message.opened',
  clicked: 'message.clicked',
  bounced: 'message.bounced',
  complained: 'message.complained',
};

/**
 * The id of the engagement event of `type` about a message: one per message and kind, so a provider's
 * repeats (and a click through our own redirect after the provider's) are the same event.
 */
export const engagementEventId = (type: MessageEngagementType, messageId: string) => `${type}:${messageId}`;

/**
 * Emits the event a status update of a customer's message means (delivered, opened, clicked with its
 * URL, bounced, complained), once per message and kind; nothing for other statuses or test sends.
 */
export async function emitStatusEvent(
  db: Executor,
  message: Message,
  status: MessageStatus,
  extra: { url?: string | null; at?: Date | undefined },
): Promise<void> {
  const type = Object.hasOwn(STATUS_EVENT, status) ? STATUS_EVENT[status] : undefined;
  if (!type || !message.customerId || message.test) return;
  const attributed = await getAttributedMessage(db, message.id);
  await emitEngagementEvent(db, message.workspaceId, {
    id: engagementEventId(type, message.id),
    type,
    customerId: message.customerId,
    attribution: attributed?.attribution ?? null,
    properties: {
      channel: message.channel,
      ...(type === 'message.clicked' && extra.url ? { url: extra.url } : {}),
    },
    ...(extra.at ? { occurredAt: extra.at } : {}),
  });
}
