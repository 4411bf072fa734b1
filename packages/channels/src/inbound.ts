import {
  addSuppression,
  type Db,
  type Executor,
  findReplySender,
  getSuppressionReason,
  recordInboundMessage,
  recordProviderWebhook,
  removeSuppression,
  setConsentByAddress,
  workspacesMessagingAddress,
} from '@hourglass/db';
import { emitEngagementEvent } from './engagement';
import { type ReplyCommand, replyCommand, replyKeyword, replyRating } from './replies';
import type { WebhookOutcome, WebhookScope } from './tracking';

/** What became of an inbound text. */
export interface InboundOutcome {
  outcome: WebhookOutcome;
  /** STOP / START / HELP when the text is one (they keep their carrier meaning). */
  command: ReplyCommand | null;
  /** The `sms.replied` events it became, one per workspace whose customer sent it. */
  events: { workspaceId: string; eventId: string }[];
}

// Twilio sends at most 10 media per MMS.
const MAX_MEDIA = 10;

/** The media URLs of an MMS (MediaUrl0 …), as many as NumMedia says. */
function mediaOf(params: Record<string, string>): string[] {
  const n = Math.min(MAX_MEDIA, Math.max(0, Number.parseInt(params.NumMedia ?? '0', 10) || 0));
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const url = params[`MediaUrl${i}`];
    if (url) urls.push(url);
  }
  return urls;
}

/**
 * Handles a verified inbound SMS, once per Twilio SID. In each workspace that texted the number (on a
 * workspace's own number: that workspace) it is stored and, when a customer is found (the one our latest
 * text to the number went to), becomes an `sms.replied` event attributed to that text: body, keyword,
 * rating, media. STOP suppresses the number and START lifts a STOP, as before, and both are events too.
 * A text no workspace can place is stored unmatched and becomes no event.
 */
export async function applyInboundSms(
  db: Db,
  params: Record<string, string>,
  opts: WebhookScope = {},
): Promise<InboundOutcome> {
  const from = params.From?.trim();
  const body = params.Body ?? '';
  const command = replyCommand(body);
  const sid = params.MessageSid ?? params.SmsSid;
  if (!from || !sid) return { outcome: 'ignored', command, events: [] };
  return db.transaction(async (tx) => {
    const { inserted } = await recordProviderWebhook(tx, {
      provider: 'twilio',
      externalId: `inbound:${sid}`,
      payload: params,
      workspaceId: opts.workspaceId ?? null,
    });
    if (!inserted) return { outcome: 'duplicate' as const, command, events: [] };
    const workspaces = opts.workspaceId
      ? [opts.workspaceId]
      : await workspacesMessagingAddress(tx, 'sms', from);
    const media = mediaOf(params);
    const stored = {
      providerMessageId: sid,
      fromAddress: from,
      toAddress: params.To?.trim() || null,
      body,
      mediaCount: media.length,
      mediaUrls: media,
      keyword: replyKeyword(body),
    };
    // Nobody texted this number from the shared account: kept for the record, shown to no workspace.
    if (workspaces.length === 0) await recordInboundMessage(tx, { ...stored, workspaceId: null });
    const events: InboundOutcome['events'] = [];
    for (const ws of workspaces) {
      if (command === 'stop' || command === 'start') await applyCommand(tx, ws, from, command);
      const sender = await findReplySender(tx, ws, from);
      const event = sender
        ? await emitEngagementEvent(tx, ws, {
            id: `sms.replied:${sid}`,
            type: 'sms.replied',
            customerId: sender.customerId,
            attribution: sender.replyTo?.attribution ?? null,
            properties: {
              body,
              keyword: stored.keyword,
              rating: replyRating(body),
              command,
              from,
              to: stored.toAddress,
              mediaCount: media.length,
              mediaUrls: media,
            },
          })
        : null;
      if (event) events.push({ workspaceId: ws, eventId: event.eventId });
      await recordInboundMessage(tx, {
        ...stored,
        workspaceId: ws,
        customerId: sender?.customerId ?? null,
        replyToMessageId: sender?.replyTo?.message.id ?? null,
        eventId: event?.eventId ?? null,
      });
    }
    return { outcome: events.length ? ('applied' as const) : ('unknown_message' as const), command, events };
  });
}

/** STOP suppresses the number and withdraws SMS consent; START lifts only a STOP (a bounce stays). */
async function applyCommand(tx: Executor, ws: string, from: string, command: 'stop' | 'start') {
  if (command === 'stop') {
    await addSuppression(tx, ws, { channel: 'sms', address: from, reason: 'stop', source: 'twilio:inbound' });
    await setConsentByAddress(tx, ws, 'sms', from, 'unsubscribed');
  } else if ((await getSuppressionReason(tx, ws, 'sms', from)) === 'stop') {
    await removeSuppression(tx, ws, 'sms', from);
    await setConsentByAddress(tx, ws, 'sms', from, 'subscribed');
  }
}
