import { randomUUID } from 'node:crypto';
import {
  addSuppression,
  appendMessageStatus,
  type Customer,
  type Db,
  getCustomer,
  getMessageByIdempotencyKey,
  getSuppressionReason,
  getWorkspace,
  type Message,
  markMessageSent,
  noteMessageAttempt,
  type ReserveInput,
  WorkspaceSettings,
} from '@hourglass/db';
import { ActionError, type SendDeps, type SendRequest, type SendResult } from '@hourglass/nodes';
import type { ChannelsConfig } from './config';
import { reserveWithCap } from './ledger';
import { trackBody } from './links';
import { consentNoteFor, SUPPRESS_REASONS, suppressionFor } from './policy';
import { ProviderFailure, type Providers, resolveProviders } from './providers';
import type { OutgoingEmail, OutgoingSms } from './providers/types';
import { RenderError, renderEmail, renderSms } from './render';
import { unsubscribeUrl } from './secrets';
import { capHours, quietHoursDeferral } from './timing';

/** A send outcome; `deferUntil` is set for quiet hours so the engine can sleep until then. */
export interface ChannelSendResult extends SendResult {
  deferUntil?: string;
}

/** A retryable send failure that knows how long the provider asked us to wait. */
export class ChannelSendError extends ActionError {
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(code, message, retryable);
    this.name = 'ChannelSendError';
  }
}

/** Dependencies of the sender; only `db` and `config` are required. */
export interface SenderDeps {
  db: Db;
  config: ChannelsConfig;
  /**
   * Decision time for quiet hours, caps and Liquid's `now` (workflow time in the engine, so
   * time-skipping tests stay consistent). The ledger's own times are the database's, not this.
   */
  now?: () => Date;
  /** Fixed providers (tests); otherwise resolved per workspace from stored settings and env. */
  providers?: Providers;
  /**
   * Quiet hours: by default send() returns `skipped` / `quiet_hours` with `deferUntil`; an engine
   * that sleeps on an exception passes a factory for it instead (e.g. workflows' SendDeferred).
   */
  deferError?: (until: Date, reason: 'quiet_hours') => Error;
  /** Liquid `event` (the engine passes the event that ended the run's latest wait); default the trigger. */
  event?: Record<string, unknown> | null;
  /**
   * The request's customer row, read by the caller just before sending (the engine's action attempt
   * loads it): consent, address and time zone come from it. Absent, or for another customer, the
   * sender reads the row itself.
   */
  customer?: Customer;
}

/** Builds the `send` dependency of the send-email / send-SMS actions. */
export function createSender(
  deps: SenderDeps,
): SendDeps & { send(req: SendRequest): Promise<ChannelSendResult> } {
  const { db, config } = deps;
  const clock = deps.now ?? (() => new Date());

  async function send(req: SendRequest): Promise<ChannelSendResult> {
    const now = clock();
    const ws = req.workspaceId;
    const existing = await getMessageByIdempotencyKey(db, ws, req.idempotencyKey);
    if (existing && existing.status !== 'reserved') return settled(existing);

    const providers = deps.providers ?? (await resolveProviders(db, config, ws));
    const provider = req.channel === 'email' ? providers.email : providers.sms;
    // A retry of an attempt that got as far as the ledger resumes it with the stored content.
    if (existing) return deliver(existing, req, providers, false);

    const loaded = deps.customer?.id === req.customer.id && deps.customer.workspaceId === ws;
    const [workspace, customer] = await Promise.all([
      getWorkspace(db, ws),
      loaded ? deps.customer : getCustomer(db, ws, req.customer.id),
    ]);
    if (!workspace) throw new ActionError('send.workspace_missing', `Workspace ${ws} not found`, false);
    if (!customer) return { status: 'skipped', messageId: null, reason: 'customer_missing' };
    const settings = WorkspaceSettings.parse(workspace.settings ?? {});
    const toSupport = req.channel === 'email' && req.to === 'support';
    const rawAddress = toSupport
      ? settings.brand.supportEmail
      : req.channel === 'email'
        ? customer.email
        : customer.phone;
    const address = rawAddress?.trim() || null;
    const timeZone = customer.timezone ?? req.customer.timeZone ?? null;
    const consent = {
      channel: req.channel,
      transactional: req.transactional,
      consent: customer.consent[req.channel] ?? 'unknown',
      suppression: address ? await getSuppressionReason(db, ws, req.channel, address) : null,
    };
    const suppressed = suppressionFor({ ...consent, address });

    const base = {
      idempotencyKey: req.idempotencyKey,
      customerId: customer.id,
      channel: req.channel,
      provider: provider.name,
      toAddress: address ?? '',
      runId: uuidOrNull(req.runId),
      stepId: req.stepId,
      journeyId: uuidOrNull(req.journeyId),
      transactional: req.transactional,
      // Which consent rule let it go out; a suppressed message says why not in its skip reason instead.
      consentNote: suppressed ? null : consentNoteFor(consent),
    };

    if (suppressed) return skip(ws, base, 'suppressed', suppressed);

    if (req.channel === 'sms' && !req.transactional) {
      const until = quietHoursDeferral(now, timeZone, settings.quietHours);
      // Not recorded: the same step runs again after the deferral and must find no ledger row.
      if (until) {
        if (deps.deferError) throw deps.deferError(until, 'quiet_hours');
        return { status: 'skipped', messageId: null, reason: 'quiet_hours', deferUntil: until.toISOString() };
      }
    }

    const unsubscribe =
      req.transactional || !address ? null : unsubscribeUrl(config, ws, req.channel, address);
    const renderInput = {
      customer: { ...req.customer, timeZone, locale: customer.locale },
      order: req.order,
      trigger: req.trigger,
      event: deps.event ?? null,
      workspace: { id: ws, name: workspace.name, settings },
      journeyId: req.journeyId,
      steps: req.steps ?? {},
      unsubscribeUrl: unsubscribe,
      now,
    };
    let content: Partial<Message>;
    try {
      if (req.channel === 'email') {
        const email = await renderEmail(req, renderInput);
        content = {
          fromAddress: fromHeader(
            req,
            config,
            settings.brand.name || workspace.name,
            providers.emailDefaults,
          ),
          subject: email.subject,
          preheader: email.preheader,
          bodyHtml: email.html,
          bodyText: email.text,
        };
      } else {
        const sms = await renderSms(req, renderInput, { marketing: !req.transactional });
        content = { fromAddress: req.sender || null, bodyText: sms.text };
      }
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      const { message } = await reserveWithCap(db, ws, { ...base }, null);
      await appendMessageStatus(db, ws, message.id, 'failed', {
        detail: e.message,
        error: { code: 'render_failed', field: e.field, reason: e.message },
      });
      throw new ActionError('send.render_failed', e.message, false);
    }

    // Tracked links are signed with the message's id, so the row's id is chosen before it is written.
    const id = randomUUID();
    if (settings.trackLinks[req.channel]) {
      const tracked = trackBody(
        { text: content.bodyText ?? null, html: content.bodyHtml ?? null },
        { publicUrl: config.publicUrl, secretKey: config.secretKey, messageId: id },
      );
      if (tracked.links.length)
        content = { ...content, bodyText: tracked.text, bodyHtml: tracked.html, links: tracked.links };
    }
    const hours = req.transactional ? 0 : capHours(req.channel, settings.frequencyCaps);
    const reservation = await reserveWithCap(db, ws, { ...base, ...content, id }, { hours, now });
    if (reservation.cappedUntil)
      return { status: 'skipped', messageId: reservation.message.id, reason: 'capped' };
    if (!reservation.reserved && reservation.message.status !== 'reserved')
      return settled(reservation.message);
    return deliver(reservation.message, req, providers, reservation.reserved);
  }

  async function skip(
    ws: string,
    base: ReserveInput,
    kind: 'suppressed' | 'skipped',
    reason: string,
  ): Promise<ChannelSendResult> {
    const { message, reserved } = await reserveWithCap(db, ws, base, null);
    if (!reserved && message.status !== 'reserved') return settled(message);
    await appendMessageStatus(db, ws, message.id, 'skipped', { skipReason: reason });
    return { status: kind, messageId: message.id, reason };
  }

  async function deliver(
    message: Message,
    req: SendRequest,
    providers: Providers,
    firstAttempt: boolean,
  ): Promise<ChannelSendResult> {
    const ws = message.workspaceId;
    const provider = req.channel === 'email' ? providers.email : providers.sms;
    try {
      let providerMessageId: string | null = null;
      if (req.channel === 'email') {
        providerMessageId = (await providers.email.sendEmail(outgoingEmail(message, req, config, providers)))
          .providerMessageId;
      } else {
        const sms = outgoingSms(message, config, providers);
        // No idempotency key at Twilio: before resending, look for what a lost answer may have sent.
        if (!firstAttempt && providers.sms.findSent) {
          providerMessageId = await providers.sms.findSent(sms, message.createdAt);
        }
        providerMessageId ??= (await providers.sms.sendSms(sms)).providerMessageId;
      }
      // Stamped by the database (as is the whole ledger row): not the workflow clock.
      await markMessageSent(db, ws, message.id, { providerMessageId, provider: provider.name });
      return { status: 'sent', messageId: message.id };
    } catch (e) {
      if (!(e instanceof ProviderFailure)) throw e;
      const error = {
        code: e.code,
        status: e.status,
        providerCode: e.providerCode,
        reason: e.message,
        ambiguous: e.ambiguous,
      };
      if (e.retryable) {
        await noteMessageAttempt(db, ws, message.id, error);
        throw new ChannelSendError(`send.${e.code}`, e.message, true, e.retryAfterMs);
      }
      await appendMessageStatus(db, ws, message.id, 'failed', { detail: e.message, error });
      // Twilio refuses numbers that texted STOP to our sender: keep the ledger in step.
      if (e.code === 'recipient_unsubscribed') {
        await addSuppression(db, ws, {
          channel: message.channel,
          address: message.toAddress,
          reason: 'stop',
          source: 'twilio:21610',
        });
      }
      throw new ChannelSendError(`send.${e.code}`, e.message, false);
    }
  }

  return { send };
}

/** The outcome recorded on an already-settled ledger row (a retried activity). */
function settled(m: Message): ChannelSendResult {
  if (m.status === 'skipped') {
    const reason = m.skipReason ?? 'skipped';
    return { status: SUPPRESS_REASONS.has(reason) ? 'suppressed' : 'skipped', messageId: m.id, reason };
  }
  if (m.status === 'failed' && !m.providerMessageId) {
    const reason = typeof m.error?.reason === 'string' ? m.error.reason : 'failed';
    throw new ChannelSendError(`send.${String(m.error?.code ?? 'failed')}`, reason, false);
  }
  return { status: 'sent', messageId: m.id };
}

function outgoingEmail(
  m: Message,
  req: SendRequest,
  config: ChannelsConfig,
  providers: Providers,
): OutgoingEmail {
  const headers: Record<string, string> = {};
  if (!m.transactional) {
    // RFC 8058 one-click: mailbox providers POST to this URL without a page visit.
    headers['List-Unsubscribe'] = `<${unsubscribeUrl(config, m.workspaceId, m.channel, m.toAddress)}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const replyTo = (req.channel === 'email' && req.replyTo) || providers.emailDefaults?.replyTo;
  return {
    to: m.toAddress,
    from: m.fromAddress ?? '',
    ...(replyTo ? { replyTo } : {}),
    subject: m.subject ?? '',
    html: m.bodyHtml ?? '',
    text: m.bodyText ?? '',
    headers,
    idempotencyKey: m.idempotencyKey,
    tags: { message_id: m.id, workspace_id: m.workspaceId },
  };
}

function outgoingSms(m: Message, config: ChannelsConfig, providers: Providers): OutgoingSms {
  return {
    to: m.toAddress,
    body: m.bodyText ?? '',
    ...(m.fromAddress ? { from: m.fromAddress } : {}),
    statusCallback: statusCallbackUrl(config, m.workspaceId, providers),
    idempotencyKey: m.idempotencyKey,
  };
}

/**
 * Where Twilio reports delivery: a workspace sending with its own Twilio account gets its own
 * path, so the callback is verified with that account's auth token.
 */
export function statusCallbackUrl(config: ChannelsConfig, workspaceId: string, providers: Providers): string {
  return providers.source?.sms === 'workspace'
    ? `${config.publicUrl}/webhooks/twilio/${workspaceId}/status`
    : `${config.publicUrl}/webhooks/twilio/status`;
}

/** The From header: the node's sender, else the workspace's identity, else the environment's. */
export function fromHeader(
  req: { fromEmail?: string; fromName?: string },
  config: ChannelsConfig,
  brandName: string,
  defaults?: { from?: string },
): string {
  const fallback = defaults?.from || config.resend?.from || config.emailFrom;
  const address = req.fromEmail || fallback.match(/<([^>]+)>/)?.[1] || fallback;
  const name = (req.fromName || brandName).replace(/["<>]/g, '');
  return name ? `${name} <${address}>` : address;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The ledger links to journey_runs / journeys rows; ids from elsewhere (previews, tests) are not links.
const uuidOrNull = (id: string | null | undefined) => (id && UUID.test(id) ? id : null);
