import {
  type ChannelsConfig,
  loadProviderSettings,
  mergeSettings,
  RenderError,
  resolveProviders,
  secretHint,
  sendTestMessage,
  TestSendFailed,
  updateProviderSettings,
} from '@hourglass/channels';
import {
  ChannelSettingsPut,
  ChannelSettingsView,
  errorResponses,
  ProviderErrorBody,
  TestSendBody,
  TestSendResult,
} from '@hourglass/contract';
import {
  appendAudit,
  customerSubject,
  type Db,
  getCustomer,
  getOrder,
  getWorkspace,
  type JsonObject,
  orderSubject,
  WorkspaceSettings,
} from '@hourglass/db';
import { checkUrl, OutboundError, type OutboundPolicy } from '@hourglass/outbound';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { type Auth, authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';

const tags = ['workspace'];

/** Test sends, and the workspace's own provider settings (secrets write-only). */
export async function channelRoutes(app: FastifyInstance, deps: ApiDeps & { channels: ChannelsConfig }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, channels } = deps;

  r.get(
    '/workspace/channels',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Email and SMS provider settings of the workspace; secrets show only whether they are set',
        description:
          'Which provider sends email (Resend) and SMS (Twilio), their sender and base URL settings, and for each secret only whether it is set.',
        response: { 200: ChannelSettingsView, ...errorResponses },
      },
    },
    async (request) => channelsView(db, channels, authOf(request)),
  );

  r.put(
    '/workspace/channels',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Set provider settings (owners); an omitted secret is kept, null clears it; audit-logged',
        description:
          "Sets the workspace's own provider accounts. Secrets are stored encrypted; one left out keeps its value and null clears it. Base URLs must be https and public (internal addresses are refused). Audit-logged.",
        body: ChannelSettingsPut,
        response: { 200: ChannelSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { email, sms } = request.body;
      checkBaseUrl(channels.outbound, email?.baseUrl, 'body.email.baseUrl');
      checkBaseUrl(channels.outbound, sms?.baseUrl, 'body.sms.baseUrl');
      await db.transaction(async (tx) => {
        if (sms) {
          const stored = await loadProviderSettings(tx, channels, auth.workspaceId, { unreadable: 'drop' });
          const next = mergeSettings(stored.twilio?.plain, sms);
          if (next.accountSid && !next.from && !next.messagingServiceSid)
            throw new ApiError(
              400,
              'invalid_request',
              'sms.from: a sender number or a messaging service SID is needed with an account SID',
              'body.sms.from',
            );
        }
        await updateProviderSettings(tx, channels, auth.workspaceId, {
          ...(email && {
            resend: {
              plain: { from: email.from, replyTo: email.replyTo, baseUrl: email.baseUrl },
              secrets: { apiKey: email.apiKey, webhookSecret: email.webhookSecret },
            },
          }),
          ...(sms && {
            twilio: {
              plain: {
                accountSid: sms.accountSid,
                from: sms.from,
                messagingServiceSid: sms.messagingServiceSid,
                baseUrl: sms.baseUrl,
              },
              secrets: { authToken: sms.authToken },
            },
          }),
        });
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.channels',
          target: `workspace:${auth.workspaceId}`,
          details: auditDetails(request.body),
        });
      });
      return channelsView(db, channels, auth);
    },
  );

  r.post(
    '/test-send',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary:
          "Render a message node's content for a real customer and send it to a test address or number (marked as a test, never capped)",
        description:
          "Renders the content with a real customer's (and order's) data and sends it through the workspace's provider to the given test address or number only. The message is marked as a test and never counts against frequency caps. A provider refusal is a 502 `provider_error` with its reason.",
        body: TestSendBody,
        response: { 200: TestSendResult, 502: ProviderErrorBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const { customerId, orderId, content, to, steps } = request.body;
      const [ws, customer, order] = await Promise.all([
        getWorkspace(db, workspaceId),
        getCustomer(db, workspaceId, customerId),
        orderId ? getOrder(db, workspaceId, orderId) : null,
      ]);
      if (!ws) throw notFound('Workspace');
      if (!customer) throw new ApiError(404, 'not_found', 'Customer not found', 'customerId');
      if (orderId && !order) throw new ApiError(404, 'not_found', 'Order not found', 'orderId');
      try {
        return await sendTestMessage(
          { db, config: channels },
          {
            workspace: { id: ws.id, name: ws.name, settings: WorkspaceSettings.parse(ws.settings ?? {}) },
            customer: customerSubject(customer),
            order: order ? orderSubject(order) : null,
            content,
            to,
            steps: steps ?? {},
          },
        );
      } catch (e) {
        if (e instanceof RenderError) throw new ApiError(422, e.code, e.message, `content.${e.field}`);
        if (!(e instanceof TestSendFailed)) throw e;
        return reply.status(502).send({
          code: 'provider_error',
          message: e.message,
          provider: e.provider,
          reason: e.failure.code,
          providerCode: e.failure.providerCode,
          providerStatus: e.failure.status,
          messageId: e.messageId,
        });
      }
    },
  );
}

/**
 * A provider base URL must be one the outbound client would call: https to a public host, or a
 * destination named in HOURGLASS_OUTBOUND_ALLOW. Host names are checked again at connect time.
 */
function checkBaseUrl(policy: OutboundPolicy, value: string | null | undefined, field: string): void {
  if (!value) return;
  try {
    checkUrl(policy, value);
  } catch (e) {
    if (e instanceof OutboundError) throw new ApiError(400, e.code, `${field}: ${e.message}`, field);
    throw e;
  }
}

async function channelsView(db: Db, config: ChannelsConfig, auth: Auth): Promise<ChannelSettingsView> {
  const { workspaceId } = auth;
  // Even the last characters of a secret are for those who may change it.
  const hint = auth.scopes.includes('admin')
    ? secretHint
    : (v: string | undefined) => ({ set: !!v, hint: null });
  const [stored, providers] = await Promise.all([
    loadProviderSettings(db, config, workspaceId),
    resolveProviders(db, config, workspaceId),
  ]);
  const resend = stored.resend;
  const twilio = stored.twilio;
  const hooks = `${config.publicUrl}/webhooks`;
  return {
    email: {
      provider: providers.email.name,
      source: providers.source?.email ?? 'environment',
      from: resend?.plain.from ?? null,
      replyTo: resend?.plain.replyTo ?? null,
      baseUrl: resend?.plain.baseUrl ?? null,
      apiKey: hint(resend?.secrets.apiKey),
      webhookSecret: hint(resend?.secrets.webhookSecret),
      webhookUrl: `${hooks}/resend/${workspaceId}`,
    },
    sms: {
      provider: providers.sms.name,
      source: providers.source?.sms ?? 'environment',
      accountSid: twilio?.plain.accountSid ?? null,
      from: twilio?.plain.from ?? null,
      messagingServiceSid: twilio?.plain.messagingServiceSid ?? null,
      baseUrl: twilio?.plain.baseUrl ?? null,
      authToken: hint(twilio?.secrets.authToken),
      statusCallbackUrl: `${hooks}/twilio/${workspaceId}/status`,
      inboundUrl: `${hooks}/twilio/${workspaceId}/inbound`,
    },
  };
}

/** The change without secrets: plain settings as given, and for each secret whether it was set, cleared or kept. */
function auditDetails(body: ChannelSettingsPut): JsonObject {
  const secret = (v: string | null | undefined) =>
    v === undefined ? 'kept' : v === null ? 'cleared' : 'set';
  const out: JsonObject = {};
  if (body.email) {
    const { apiKey, webhookSecret, ...plain } = body.email;
    out.email = { ...plain, apiKey: secret(apiKey), webhookSecret: secret(webhookSecret) } as JsonObject;
  }
  if (body.sms) {
    const { authToken, ...plain } = body.sms;
    out.sms = { ...plain, authToken: secret(authToken) } as JsonObject;
  }
  return out;
}
