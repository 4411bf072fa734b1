import {
  appendMessageStatus,
  type Executor,
  getWorkspace,
  isSuppressed,
  type Message,
  markMessageSent,
  reserveMessage,
  WorkspaceSettings,
} from '@hourglass/db';
import type { SendDeps, SendRequest, SendResult } from '@hourglass/nodes';
import { renderLiquid } from './liquid';
import { quietHoursEnd, safeZone } from './time';

/**
 * Thrown by a sender when a message may not go out yet (quiet hours). The action activity turns it
 * into "sleep until `until`, then run the step again": deferred, never dropped.
 */
export class SendDeferred extends Error {
  readonly until: number;
  readonly reason: string;
  constructor(until: number, reason: string) {
    super(`deferred until ${new Date(until).toISOString()} (${reason})`);
    this.name = 'SendDeferred';
    this.until = until;
    this.reason = reason;
  }
}

/** Options of the outbox sender. */
export interface OutboxOptions {
  /** Time of the send as the workflow sees it (workflow time, so time-skipping tests stay consistent). */
  now: () => Date;
  /** Base URL for unsubscribe / preferences links. */
  publicUrl?: string | undefined;
  /** The event that ended the run's latest wait (Liquid `event`); defaults to the trigger. */
  event?: unknown;
}

type ConsentState = 'subscribed' | 'unsubscribed' | 'unknown';

// Marketing SMS needs an explicit opt-in (TCPA/GDPR); marketing email only an absence of opt-out.
function consentSkip(req: SendRequest): string | null {
  if (req.transactional) return null;
  const consent = (req.customer as { consent?: Partial<Record<'email' | 'sms', ConsentState>> }).consent;
  const state = consent?.[req.channel] ?? 'unknown';
  if (state === 'unsubscribed') return 'unsubscribed';
  if (req.channel === 'sms' && state !== 'subscribed') return 'no_consent';
  return null;
}

function resultOf(m: Message): SendResult {
  if (m.status === 'skipped')
    return { status: 'skipped', messageId: m.id, reason: m.skipReason ?? 'skipped' };
  if (m.status === 'reserved') return { status: 'queued', messageId: m.id };
  return { status: 'sent', messageId: m.id };
}

/**
 * The local-outbox send dependency (used until the channels package lands, and whenever no
 * provider keys are configured): reserve by idempotency key, check consent / suppression / quiet
 * hours, render Liquid, record the message as sent with provider `outbox`.
 */
export function createOutboxSender(db: Executor, opts: OutboxOptions): SendDeps {
  return {
    async send(req) {
      const workspace = await getWorkspace(db, req.workspaceId);
      const settings = WorkspaceSettings.parse(workspace?.settings ?? {});
      const now = opts.now();
      const address = (req.channel === 'email' ? req.customer.email : req.customer.phone)?.trim() ?? '';
      const tz = safeZone(req.customer.timeZone);

      let skip: string | null = address ? consentSkip(req) : 'no_address';
      if (!skip && (await isSuppressed(db, req.workspaceId, req.channel, address))) skip = 'suppressed';
      if (!skip && req.channel === 'sms' && !req.transactional) {
        const until = quietHoursEnd(now.getTime(), tz, settings.quietHours);
        if (until !== null) throw new SendDeferred(until, 'quiet_hours');
      }

      const base = opts.publicUrl ?? 'http://localhost:3000';
      const token = encodeURIComponent(req.idempotencyKey);
      const scope = {
        customer: req.customer,
        order: req.order,
        trigger: req.trigger,
        event: opts.event ?? req.trigger,
        workspace: { id: req.workspaceId, name: workspace?.name ?? '' },
        brand: settings.brand,
        journey: { id: req.journeyId },
        message: { channel: req.channel },
        unsubscribe_url: `${base}/u/${token}`,
        preferences_url: `${base}/preferences/${token}`,
        view_in_browser_url: `${base}/m/${token}`,
        now: now.toISOString(),
      };
      const content =
        req.channel === 'email'
          ? {
              fromAddress: req.fromEmail || null,
              subject: await renderLiquid(req.subject, scope),
              preheader: await renderLiquid(req.preheader, scope),
              bodyHtml: await renderLiquid(req.body, scope),
            }
          : { fromAddress: req.sender || null, bodyText: await renderLiquid(req.text, scope) };

      const { message, reserved } = await reserveMessage(db, req.workspaceId, {
        idempotencyKey: req.idempotencyKey,
        customerId: req.customer.id,
        channel: req.channel,
        provider: 'outbox',
        toAddress: address,
        runId: req.runId,
        stepId: req.stepId,
        journeyId: req.journeyId,
        transactional: req.transactional,
        ...content,
      });
      // A retried activity finds its own earlier reservation: finish it, never send a second copy.
      if (!reserved && message.status !== 'reserved') return resultOf(message);
      if (skip) {
        await appendMessageStatus(db, req.workspaceId, message.id, 'skipped', { at: now, skipReason: skip });
        return { status: 'skipped', messageId: message.id, reason: skip };
      }
      await markMessageSent(db, req.workspaceId, message.id, {
        providerMessageId: `outbox_${message.id}`,
        provider: 'outbox',
        at: now,
      });
      return { status: 'sent', messageId: message.id };
    },
  };
}
