import {
  addSuppression,
  appendMessageStatus,
  type Db,
  findMessageByProviderId,
  type JsonObject,
  type MessageStatus,
  type Provider,
  recordProviderWebhook,
  type SuppressionReason,
  setConsentByAddress,
} from '@hourglass/db';
import type { UnsubscribeClaim } from './secrets';
import { emitStatusEvent } from './status-events';

/** Marks test sends in the ledger (their step id); they never count toward caps or suppress anyone. */
export const TEST_SEND_STEP = 'test-send';

/** A webhook received on a workspace-scoped path applies to that workspace's messages only. */
export interface WebhookScope {
  workspaceId?: string;
}

/** What happened to a webhook delivery. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'unknown_message' | 'ignored';

/** A Resend webhook event (the parts we use); the webhook route checks its shape first (contract's ResendWebhook). */
export interface ResendEvent {
  type: string;
  created_at?: string;
  data: { email_id?: string; bounce?: { type?: string; message?: string }; click?: { link?: string } };
}

// Event types and codes come from outside: look them up as own keys, so `constructor` is no status.
const own = <T>(map: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;

const RESEND_STATUS: Record<string, MessageStatus> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.failed': 'failed',
};

/** Applies a verified Resend event once per Svix message id. */
export async function applyResendEvent(
  db: Db,
  deliveryId: string,
  event: ResendEvent,
  opts: WebhookScope = {},
): Promise<WebhookOutcome> {
  const status = own(RESEND_STATUS, event.type);
  const emailId = event.data?.email_id;
  const suppression: SuppressionReason | null =
    event.type === 'email.complained'
      ? 'complaint'
      : // Transient bounces (full mailbox) may deliver later; only permanent ones suppress.
        event.type === 'email.bounced' && event.data.bounce?.type !== 'Transient'
        ? 'hard_bounce'
        : null;
  const detail =
    event.data.bounce?.message ??
    event.data.click?.link ??
    (event.type === 'email.bounced' ? 'bounced' : null);
  const at = event.created_at ? new Date(event.created_at) : undefined;
  return apply(db, 'resend', deliveryId, event as unknown as JsonObject, emailId, status, {
    detail,
    suppression,
    url: event.data.click?.link ?? null,
    at: at && !Number.isNaN(at.getTime()) ? at : undefined,
    ...opts,
  });
}

const TWILIO_STATUS: Record<string, MessageStatus> = {
  queued: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  read: 'opened',
};

// Twilio error codes that mean the number will never take our texts.
const TWILIO_SUPPRESS: Record<string, SuppressionReason> = {
  '21610': 'stop',
  '30005': 'hard_bounce',
  '30006': 'hard_bounce',
};

/** Applies a verified Twilio status callback once per (message, status). */
export async function applyTwilioStatus(
  db: Db,
  params: Record<string, string>,
  opts: WebhookScope = {},
): Promise<WebhookOutcome> {
  const sid = params.MessageSid ?? params.SmsSid;
  const twilioStatus = params.MessageStatus ?? params.SmsStatus ?? '';
  if (!sid) return 'ignored';
  const code = params.ErrorCode || null;
  return apply(db, 'twilio', `${sid}:${twilioStatus}`, params, sid, own(TWILIO_STATUS, twilioStatus), {
    detail: code ? `Twilio error ${code}` : null,
    suppression: code ? (own(TWILIO_SUPPRESS, code) ?? null) : null,
    error: code ? { code: 'provider_error', providerCode: code } : null,
    ...opts,
  });
}

async function apply(
  db: Db,
  provider: Provider,
  externalId: string,
  payload: JsonObject,
  providerMessageId: string | undefined,
  status: MessageStatus | undefined,
  extra: {
    detail: string | null;
    suppression: SuppressionReason | null;
    error?: JsonObject | null;
    /** The link of a click, and when the provider says it happened (for the engagement event). */
    url?: string | null;
    at?: Date | undefined;
  } & WebhookScope,
): Promise<WebhookOutcome> {
  const found = providerMessageId ? await findMessageByProviderId(db, provider, providerMessageId) : null;
  // A workspace's own provider account only reports on that workspace's messages; another
  // workspace's message is neither touched nor marked seen (its real webhook must still apply).
  if (found && extra.workspaceId && found.workspaceId !== extra.workspaceId) return 'unknown_message';
  const message = found;
  // One transaction: if applying fails the delivery is not marked seen, so the provider's retry works.
  return db.transaction(async (tx) => {
    const { inserted } = await recordProviderWebhook(tx, {
      provider,
      externalId,
      payload,
      workspaceId: message?.workspaceId ?? extra.workspaceId ?? null,
    });
    if (!inserted) return 'duplicate';
    if (!message) return 'unknown_message';
    if (!status) return 'ignored';
    await appendMessageStatus(tx, message.workspaceId, message.id, status, {
      detail: extra.detail,
      ...(extra.error ? { error: extra.error } : {}),
    });
    await emitStatusEvent(tx, message, status, { url: extra.url, at: extra.at });
    // A test send goes to a tester's address: its bounces say nothing about customers.
    if (extra.suppression && message.stepId !== TEST_SEND_STEP) {
      await addSuppression(tx, message.workspaceId, {
        channel: message.channel,
        address: message.toAddress,
        reason: extra.suppression,
        source: `${provider}:${status}`,
      });
    }
    return 'applied';
  });
}

/** Applies a verified unsubscribe token: suppression plus the customer's consent flag. */
export async function applyUnsubscribe(db: Db, claim: UnsubscribeClaim, source: string): Promise<void> {
  await db.transaction(async (tx) => {
    await addSuppression(tx, claim.workspaceId, {
      channel: claim.channel,
      address: claim.address,
      reason: 'unsubscribed',
      source,
    });
    await setConsentByAddress(tx, claim.workspaceId, claim.channel, claim.address, 'unsubscribed');
  });
}
