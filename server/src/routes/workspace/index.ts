import {
  channelsConfigFromEnv,
  renderPreview,
  resolveProviders,
  smsSegments,
  trackBody,
} from '@hourglass/channels';
import {
  errorResponses,
  PreviewBody,
  PreviewResult,
  WorkspaceChoice,
  WorkspaceSettingsPatch,
  WorkspaceSettingsView,
} from '@hourglass/contract';
import {
  appendAudit,
  customerSubject,
  type Db,
  getCustomer,
  getOrder,
  getWorkspace,
  listUserWorkspaces,
  orderSubject,
  updateWorkspaceSettings,
  WorkspaceSettings,
} from '@hourglass/db';
import { blockProblems } from '@hourglass/nodes';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { channelRoutes } from './channels';
import { secretRoutes } from './secrets';

const tags = ['workspace'];

/** The caller's workspaces, the current workspace's settings, message previews, provider settings and test sends. */
export async function workspaceRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const channels = deps.channels ?? channelsConfigFromEnv();
  await channelRoutes(app, { ...deps, channels });
  await secretRoutes(app, { ...deps, channels });

  const settingsView = async (workspaceId: string) => {
    const ws = await getWorkspace(db, workspaceId);
    if (!ws) throw notFound('Workspace');
    const settings = WorkspaceSettings.parse(ws.settings ?? {});
    const providers = await resolveProviders(db, channels, workspaceId);
    return {
      ...settings,
      channels: {
        email: { provider: providers.email.name, configured: providers.email.name !== 'outbox' },
        sms: { provider: providers.sms.name, configured: providers.sms.name !== 'outbox' },
      },
    };
  };

  r.get(
    '/workspaces',
    {
      config: { access: 'any' },
      schema: {
        tags,
        summary: "The signed-in user's workspaces with their role (an API key sees its own workspace)",
        description:
          "The workspaces the caller belongs to, with the caller's role in each. A signed-in user picks the one a request acts on with the `x-workspace-id` header (default: the first); an API key always acts on its own workspace.",
        response: { 200: z.array(WorkspaceChoice), ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      if (!auth.userId) {
        const ws = await getWorkspace(db, auth.workspaceId);
        return ws ? [{ id: ws.id, name: ws.name, slug: ws.slug, role: null }] : [];
      }
      const list = await listUserWorkspaces(db, auth.userId);
      return list.map(({ workspace: w, role }) => ({ id: w.id, name: w.name, slug: w.slug, role }));
    },
  );

  r.get(
    '/workspace/settings',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Quiet hours, frequency caps, brand, and which provider each channel uses',
        description:
          "The workspace's sending rules (quiet hours, frequency caps per channel), its brand (name, colour, logo, postal address), its link templates (review, reorder and order status pages: what `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl` render when the order carries none), and which provider sends each channel and whether it is configured.",
        response: { 200: WorkspaceSettingsView, ...errorResponses },
      },
    },
    async (request) => settingsView(authOf(request).workspaceId),
  );

  r.patch(
    '/workspace/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Change sending rules, brand or retention (owners)',
        description:
          'Changes quiet hours, frequency caps, brand, links or retention; fields left out keep their values, null clears a link. Retention is in days (30–3650): events older than `eventsDays`, and the steps and message status histories of runs that ended more than `runHistoryDays` ago, are removed in small batches by the API process (orders, customers, runs and everything of an active run are kept). `trackLinks` says in which channels links go through the click-tracking redirect (`/r/…`; default on for SMS, off for email). Links are http(s) URLs with placeholders ({order.number}, {order.externalId}, {order.id}, {customer.externalId}, {customer.id}, {sku}, {productId}), filled URL-encoded; anything else is a 400 naming the field. Applies to sends from then on. Audit-logged.',
        body: WorkspaceSettingsPatch,
        response: { 200: WorkspaceSettingsView, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      await patchSettings(db, auth.workspaceId, request.body);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'workspace.settings',
        target: `workspace:${auth.workspaceId}`,
        details: request.body,
      });
      return settingsView(auth.workspaceId);
    },
  );

  r.post(
    '/preview',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "Render a message node's content for a real customer (and order)",
        description:
          "Renders an email or SMS node's content (Liquid) with a customer's and an order's real data, as a send would, without sending. `warnings` lists each `{{ variable }}` that renders empty for them (say `order.reviewUrl` with no review link in the settings), with the fields it is in and what to do. A template that fails to render answers 200 with `ok: false` and the field at fault; a template that tries to read files or exceeds a limit is a 422.",
        body: PreviewBody,
        response: { 200: PreviewResult, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const { customerId, orderId, content } = request.body;
      const [ws, customer, order] = await Promise.all([
        getWorkspace(db, workspaceId),
        getCustomer(db, workspaceId, customerId),
        orderId ? getOrder(db, workspaceId, orderId) : null,
      ]);
      if (!ws) throw notFound('Workspace');
      if (!customer) throw notFound('Customer');
      if (orderId && !order) throw notFound('Order');
      if (content.channel === 'email' && content.blocks) {
        // The limits a publish applies: too many blocks, too big, a link that is not http(s).
        const problem = blockProblems(content.blocks)[0];
        if (problem) throw new ApiError(400, problem.code, problem.message, `body.content.${problem.field}`);
      }
      const settings = WorkspaceSettings.parse(ws.settings ?? {});
      const out = await renderPreview(content, {
        customer: customerSubject(customer),
        order: order ? orderSubject(order) : null,
        trigger: null,
        workspace: { id: ws.id, name: ws.name, settings },
        steps: request.body.steps ?? {},
        now: new Date(),
      });
      if (!out.ok) {
        // Reading files or exceeding a resource limit is refused, not shown as a rendering.
        if (out.code !== 'render_failed')
          throw new ApiError(422, out.code, out.message, `content.${out.field}`);
        return { ok: false as const, field: out.field, message: out.message };
      }
      if (out.channel === 'email')
        return {
          ok: true as const,
          channel: 'email' as const,
          subject: out.email.subject,
          preheader: out.email.preheader,
          html: out.email.html,
          text: out.email.text,
          segments: null,
          warnings: out.warnings,
        };
      // Segments are billed on what is sent: with click tracking, links shortened to the redirect
      // (every token has the same length, so any message id gives the sent length).
      const tracked = settings.trackLinks.sms
        ? trackBody(
            { text: out.sms.text, html: null },
            { publicUrl: channels.publicUrl, secretKey: channels.secretKey, messageId: PREVIEW_MESSAGE },
          )
        : null;
      const sentText = tracked?.links.length ? (tracked.text ?? undefined) : undefined;
      return {
        ok: true as const,
        channel: 'sms' as const,
        subject: null,
        preheader: null,
        html: null,
        text: out.sms.text,
        sentText,
        segments: sentText === undefined ? out.sms.segments : smsSegments(sentText).segments,
        warnings: out.warnings,
      };
    },
  );
}

// Stands in for the message id in a preview's tracked links (a preview sends nothing).
const PREVIEW_MESSAGE = '00000000-0000-4000-8000-000000000000';

async function patchSettings(db: Db, workspaceId: string, patch: z.infer<typeof WorkspaceSettingsPatch>) {
  const ws = await getWorkspace(db, workspaceId);
  if (!ws) throw notFound('Workspace');
  const current = WorkspaceSettings.parse(ws.settings ?? {});
  await updateWorkspaceSettings(db, workspaceId, {
    ...current,
    quietHours: patch.quietHours ?? current.quietHours,
    frequencyCaps: { ...current.frequencyCaps, ...patch.frequencyCaps },
    brand: { ...current.brand, ...patch.brand },
    links: { ...current.links, ...patch.links },
    retention: { ...current.retention, ...patch.retention },
    trackLinks: { ...current.trackLinks, ...patch.trackLinks },
  });
}
