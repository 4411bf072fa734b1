import {
  applyInboundSms,
  applyResendEvent,
  applyTwilioStatus,
  applyUnsubscribe,
  type ChannelsConfig,
  loadProviderSettings,
  verifyUnsubscribeToken,
  type WebhookScope,
} from '@hourglass/channels';
import {
  ResendWebhook,
  TwilioInboundSms,
  TwilioStatusCallback,
  WebhookDeliveryId,
} from '@hourglass/contract';
import { type Db, getWorkspace } from '@hourglass/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Webhook } from 'svix';
import twilio from 'twilio';
import type { z } from 'zod';
import { jsonInputProblem } from '../plugins/json-guard';

/** What the provider webhooks and the unsubscribe page need. */
export interface WebhookDeps {
  db: Db;
  channels: ChannelsConfig;
}

const unauthorized = (reply: FastifyReply) =>
  reply.status(401).send({ code: 'invalid_signature', message: 'Signature verification failed' });

// Unknown workspace and a workspace without its own account look the same from outside.
const notConfigured = (reply: FastifyReply, what: string) =>
  reply
    .status(404)
    .send({ code: 'webhook_not_configured', message: `This workspace has no ${what} configured` });

type Invalid = { field: string; message: string };

// A signed body we cannot act on is the sender's bug: a 400 it can see (and stop retrying after),
// never a 500 that it retries forever.
const invalidPayload = (reply: FastifyReply, { field, message }: Invalid) =>
  reply
    .status(400)
    .send({ code: 'webhook.invalid_payload', message: `${field}: ${message}`.slice(0, 500), field });

/** The verified body as `schema` reads it, or the field at fault (also NUL and deep nesting, like the API). */
function payloadOf<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at = 'body',
): { data: z.output<S> } | Invalid {
  const problem = jsonInputProblem(value);
  if (problem) return { field: `${at}${problem.path}`, message: problem.message };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  return { field: [at, ...(issue?.path ?? [])].join('.'), message: issue?.message ?? 'invalid' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RESEND =
  'Resend delivery events (sent, delivered, opened, clicked, bounced, complained), signed with Svix (`svix-id`, `svix-timestamp`, `svix-signature` over the raw body): a bad signature answers 401 `invalid_signature`, a signed body we cannot read 400 `webhook.invalid_payload`. Each delivery is applied once (by `svix-id`) to the message it names; complaints and hard bounces also suppress the address.';
const TWILIO_STATUS =
  "Twilio message status callbacks (form-encoded, signed with `X-Twilio-Signature` over the public URL and parameters): updates the SMS's status; 401 `invalid_signature` when the signature does not match.";
const TWILIO_INBOUND =
  'Inbound SMS from Twilio (signed like status callbacks), applied once per message SID in the workspaces that texted the number: stored (MMS media, emoji and long bodies included) and, for the customer our latest text to the number went to, an `sms.replied` event (body, keyword, rating, the id of the message it answers and its run, journey and step). STOP and its synonyms also suppress the number and withdraw its SMS consent; START lifts a STOP. A text from a number nobody texted is stored unmatched and becomes no event. Answers empty TwiML (Twilio itself confirms opt-outs).';
const OWN_ACCOUNT =
  " This URL is for a workspace's own provider account (set in its channel settings): verified with that workspace's secret and applied to its messages only; 404 `webhook_not_configured` when it has none.";

/** Documentation of these routes, by method and URL (they have no request schemas: bodies are read after the signature check). */
const ROUTE_DOCS: Record<string, { summary: string; description: string }> = {
  'POST /webhooks/resend': {
    summary: 'Resend events for the server account',
    description: `${RESEND} For the provider account configured on the server (RESEND_WEBHOOK_SECRET); 503 when it has no secret.`,
  },
  'POST /webhooks/twilio/status': {
    summary: 'Twilio SMS status for the server account',
    description: `${TWILIO_STATUS} For the Twilio account configured on the server.`,
  },
  'POST /webhooks/twilio/inbound': {
    summary: 'Inbound SMS for the server account',
    description: `${TWILIO_INBOUND} For the Twilio account configured on the server.`,
  },
  'POST /webhooks/resend/:workspaceId': {
    summary: "Resend events for a workspace's own account",
    description: `${RESEND}${OWN_ACCOUNT}`,
  },
  'POST /webhooks/twilio/:workspaceId/status': {
    summary: "Twilio SMS status for a workspace's own account",
    description: `${TWILIO_STATUS}${OWN_ACCOUNT}`,
  },
  'POST /webhooks/twilio/:workspaceId/inbound': {
    summary: "Inbound SMS for a workspace's own account",
    description: `${TWILIO_INBOUND}${OWN_ACCOUNT}`,
  },
  'GET /unsubscribe': {
    summary: 'Unsubscribe page',
    description:
      'The page an unsubscribe link opens (`?token=` signed by the server): asks to confirm, and changes nothing by itself, because mail scanners open links. An invalid or outdated token shows an error page (400).',
  },
  'POST /unsubscribe': {
    summary: 'Unsubscribe',
    description:
      'Withdraws marketing consent for the link\'s channel and address: the confirmation form and RFC 8058 one-click (`List-Unsubscribe=One-Click`) post here. Answers `{"unsubscribed": true}` (or a page for browsers); 400 `invalid_token` for a bad token. The address is suppressed on that channel, so no marketing message reaches it any more.',
  },
};

/**
 * Provider webhooks (Resend via Svix, Twilio status and inbound) and the one-click unsubscribe
 * endpoint. Register without fastify-plugin: the body parsers below must stay in this scope.
 */
export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps) {
  const { db, channels } = deps;
  app.addHook('onRoute', (route) => {
    const docs = ROUTE_DOCS[`${route.method} ${route.url}`];
    if (docs) route.schema = { tags: ['webhooks'], ...docs, ...route.schema };
  });
  // Signatures cover the exact bytes sent, so bodies stay raw strings here and are parsed after.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  async function resend(request: FastifyRequest, reply: FastifyReply, secret: string, scope: WebhookScope) {
    const raw = typeof request.body === 'string' ? request.body : '';
    try {
      new Webhook(secret).verify(raw, headerRecord(request));
    } catch {
      return unauthorized(reply);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return invalidPayload(reply, { field: 'body', message: 'not JSON' });
    }
    const id = payloadOf(WebhookDeliveryId, request.headers['svix-id'], 'headers.svix-id');
    if (!('data' in id)) return invalidPayload(reply, id);
    const event = payloadOf(ResendWebhook, json);
    if (!('data' in event)) return invalidPayload(reply, event);
    const outcome = await applyResendEvent(db, id.data, event.data, scope);
    return reply.status(200).send({ outcome });
  }

  async function twilioStatus(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string | undefined,
    scope: WebhookScope,
  ) {
    const params = verifiedTwilio(request, channels.publicUrl, token);
    if (!params) return unauthorized(reply);
    const callback = payloadOf(TwilioStatusCallback, params);
    if (!('data' in callback)) return invalidPayload(reply, callback);
    const outcome = await applyTwilioStatus(db, callback.data, scope);
    return reply.status(200).send({ outcome });
  }

  async function twilioInbound(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string | undefined,
    scope: WebhookScope,
  ) {
    const params = verifiedTwilio(request, channels.publicUrl, token);
    if (!params) return unauthorized(reply);
    const sms = payloadOf(TwilioInboundSms, params);
    if (!('data' in sms)) return invalidPayload(reply, sms);
    await applyInboundSms(db, sms.data, scope);
    // Twilio answers STOP / START itself (Advanced Opt-Out); an empty TwiML reply sends nothing more.
    return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  }

  // The server's own accounts (environment): messages of every workspace without its own settings.
  app.post('/webhooks/resend', async (request, reply) => {
    const secret = channels.resendWebhookSecret;
    if (!secret)
      return reply
        .status(503)
        .send({ code: 'webhook_not_configured', message: 'RESEND_WEBHOOK_SECRET is not set' });
    return resend(request, reply, secret, {});
  });
  app.post('/webhooks/twilio/status', async (request, reply) =>
    twilioStatus(request, reply, channels.twilio?.authToken, {}),
  );
  app.post('/webhooks/twilio/inbound', async (request, reply) =>
    twilioInbound(request, reply, channels.twilio?.authToken, {}),
  );

  // A workspace's own accounts: verified with its stored secrets, applied to its messages only.
  const stored = async (request: FastifyRequest) => {
    const { workspaceId } = request.params as { workspaceId: string };
    if (!UUID.test(workspaceId)) return null;
    return { workspaceId, settings: await loadProviderSettings(db, channels, workspaceId) };
  };
  app.post('/webhooks/resend/:workspaceId', async (request, reply) => {
    const ws = await stored(request);
    const secret = ws?.settings.resend?.secrets.webhookSecret;
    if (!ws || !secret) return notConfigured(reply, 'Resend webhook signing secret');
    return resend(request, reply, secret, { workspaceId: ws.workspaceId });
  });
  app.post('/webhooks/twilio/:workspaceId/status', async (request, reply) => {
    const ws = await stored(request);
    const token = ws?.settings.twilio?.secrets.authToken;
    if (!ws || !token) return notConfigured(reply, 'Twilio auth token');
    return twilioStatus(request, reply, token, { workspaceId: ws.workspaceId });
  });
  app.post('/webhooks/twilio/:workspaceId/inbound', async (request, reply) => {
    const ws = await stored(request);
    const token = ws?.settings.twilio?.secrets.authToken;
    if (!ws || !token) return notConfigured(reply, 'Twilio auth token');
    return twilioInbound(request, reply, token, { workspaceId: ws.workspaceId });
  });

  // A link outlives its workspace: one naming a workspace that is gone reads as an invalid link.
  const claimOf = async (token: string) => {
    const claim = verifyUnsubscribeToken(channels.secretKey, token);
    return claim && (await getWorkspace(db, claim.workspaceId)) ? claim : null;
  };

  // GET only shows a confirmation: mail scanners prefetch links, and must not unsubscribe anyone.
  app.get('/unsubscribe', async (request, reply) => {
    const token = (request.query as { token?: string }).token ?? '';
    const claim = await claimOf(token);
    if (!claim) return reply.status(400).type('text/html').send(page('This unsubscribe link is not valid.'));
    return reply
      .type('text/html')
      .send(
        page(
          `Stop marketing ${claim.channel === 'email' ? 'emails' : 'texts'} to <b>${escapeHtml(claim.address)}</b>?`,
          `<form method="post" action="unsubscribe?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
  });

  // RFC 8058 one-click (List-Unsubscribe-Post) and the confirmation form both land here.
  app.post('/unsubscribe', async (request, reply) => {
    const form = typeof request.body === 'string' ? new URLSearchParams(request.body) : new URLSearchParams();
    const token = (request.query as { token?: string }).token ?? form.get('token') ?? '';
    const claim = await claimOf(token);
    if (!claim)
      return reply.status(400).send({ code: 'invalid_token', message: 'Unsubscribe token is not valid' });
    const oneClick = form.get('List-Unsubscribe') === 'One-Click';
    await applyUnsubscribe(db, claim, oneClick ? 'list-unsubscribe-post' : 'unsubscribe-link');
    if (oneClick || !request.headers.accept?.includes('text/html'))
      return reply.status(200).send({ unsubscribed: true });
    return reply.type('text/html').send(page('You have been unsubscribed.'));
  });
}

function headerRecord(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The form parameters of a Twilio request whose X-Twilio-Signature matches the auth token, or null. */
function verifiedTwilio(
  request: FastifyRequest,
  publicUrl: string,
  token: string | undefined,
): Record<string, string> | null {
  const signature = request.headers['x-twilio-signature'];
  if (!token || typeof signature !== 'string' || typeof request.body !== 'string') return null;
  const params = Object.fromEntries(new URLSearchParams(request.body));
  // Twilio signs the public URL it called, which differs from what we see behind a proxy.
  const url = `${publicUrl}${request.url}`;
  return twilio.validateRequest(token, signature, url, params) ? params : null;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(message: string, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Unsubscribe</title></head><body style="font-family:system-ui,sans-serif;max-width:480px;margin:64px auto;padding:0 16px"><p>${message}</p>${extra}</body></html>`;
}
