import { channelsConfigFromEnv } from '@hourglass/channels';
import {
  ActionReasonBody,
  errorResponses,
  IdParams,
  InboundMessageQuery,
  InboundMessageRow,
  MessageDetail,
  MessageListQuery,
  MessageLogRow,
  RetryMessageResult,
} from '@hourglass/contract';
import { getRun, listInboundMessages, listMessageLog } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { retryMessageAction } from '../../services/support-actions';
import { loadPlanIndex, messageView } from '../../services/timeline';

const tags = ['messages'];

/** The message log (filters), one message as the customer saw it, and retrying a failed one. */
export async function messageRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const channels = deps.channels ?? channelsConfigFromEnv();

  r.get(
    '/messages',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Messages filtered by channel, status (or "outbox"), journey, customer, run and date',
        description:
          'The message log, newest first: email and SMS sent by journeys, with their status history. `status=outbox` lists the messages handed to the local outbox because no provider is configured.',
        querystring: MessageListQuery,
        response: { 200: z.array(MessageLogRow), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listMessageLog(db, authOf(request).workspaceId, {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return rows.map(({ bodyHtml: _html, ...m }) => ({
        ...m,
        statusHistory: m.statusHistory.map((h) => ({ ...h, at: new Date(h.at) })),
      }));
    },
  );

  r.get(
    '/messages/inbound',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Texts customers sent (replies, STOP, MMS), newest first; `unmatched=true` for unknown numbers',
        description:
          "Inbound SMS received on the workspace's number: body, keyword, media, whose it is and the message it answers. A text from a number no customer has is listed with `matched: false` and became no event.",
        querystring: InboundMessageQuery,
        response: { 200: z.array(InboundMessageRow), ...errorResponses },
      },
    },
    async (request) => {
      const { unmatched, ...q } = request.query;
      const rows = await listInboundMessages(db, authOf(request).workspaceId, {
        ...q,
        unmatched: unmatched === 'true',
      });
      return rows.map((m) => ({ ...m, matched: m.customerId !== null }));
    },
  );

  r.get(
    '/messages/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'One message with its rendered content and status history',
        description:
          'The message as the customer received it (subject, HTML and text, or the SMS body), its provider ids, every status it went through, whose it is (none for a test send) and the journey step that sent it.',
        params: IdParams,
        response: { 200: MessageDetail, ...errorResponses },
      },
    },
    async (request) => {
      const ws = authOf(request).workspaceId;
      const [m] = await listMessageLog(db, ws, { id: request.params.id, limit: 1 });
      if (!m) throw notFound('Message');
      const run = m.runId ? await getRun(db, ws, m.runId) : null;
      const stepLabel = run && m.stepId ? (await loadPlanIndex(db, ws, run)).stepLabel(m.stepId) : null;
      return { ...m, ...messageView(m), stepLabel };
    },
  );

  r.post(
    '/messages/:id/retry',
    {
      config: { access: 'support' },
      schema: {
        tags,
        summary: 'Send a failed message again (new idempotency key derived from the original); audit-logged',
        description:
          'Sends a failed journey message again, rendered anew from its journey step for the same customer (and order), as a new message linked to the original; consent, suppressions and caps apply again, and two clicks at once send once. Only failed messages (409 `not_retryable` otherwise). The `reason` is kept in the audit log.',
        params: IdParams,
        body: ActionReasonBody,
        response: { 200: RetryMessageResult, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const out = await retryMessageAction(db, channels, request.params.id, {
        workspaceId: auth.workspaceId,
        actor: auth.actor,
        reason: request.body.reason,
      });
      return { message: messageView(out.message), original: out.original };
    },
  );
}
