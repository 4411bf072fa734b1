import type { ChannelsConfig, ShopifyConfig } from '@hourglass/channels';
import {
  ApiErrorBody,
  errorResponses,
  ShopifyBackfillBody,
  ShopifySyncStatus,
  ShopifySyncView,
} from '@hourglass/contract';
import { appendAudit, latestStoreSync, type StoreSync, startStoreSync } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError } from '../../plugins/errors';
import { runShopifyBackfill } from '../../shopify/backfill';
import { loadShopify } from '../../shopify/connection';
import { runShopifyReconcile, startShopifyReconcile } from '../../shopify/reconcile';

const tags = ['workspace'];
const DAY_MS = 24 * 60 * 60 * 1000;

const view = (s: StoreSync): ShopifySyncView => ({
  id: s.id,
  kind: s.kind,
  status: s.status,
  since: s.since,
  stage: s.stage,
  customersImported: s.customersImported,
  ordersImported: s.ordersImported,
  ordersTotal: s.ordersTotal,
  throttled: s.throttled,
  error: s.error,
  startedAt: s.startedAt,
  finishedAt: s.finishedAt,
});

/** Importing a connected store's customers and order history, with its progress. */
export async function shopifyImportRoutes(
  app: FastifyInstance,
  deps: ApiDeps & { channels: ChannelsConfig; shopify: ShopifyConfig },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, channels } = deps;

  r.post(
    '/workspace/shopify/backfill',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Import the store's customers and the last N days of orders (202; runs in the background)",
        description:
          "Starts importing every customer and the orders created in the last `days` days (default 365) through the Admin GraphQL API, paced by Shopify's query cost. Imported history feeds customer stats, segments and recommendations but starts no journey. Each record is stored once (an import run twice, or overlapping live webhooks, adds nothing). Follow it with `GET /v1/workspace/shopify/backfill`. 409 `shopify.not_connected` without a connection, 409 `shopify.sync_running` while one runs. Audit-logged.",
        body: ShopifyBackfillBody,
        response: { 202: ShopifySyncView, 502: ApiErrorBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const creds = await loadShopify(db, channels, auth.workspaceId);
      if (!creds?.accessToken)
        throw new ApiError(409, 'shopify.not_connected', 'Connect a Shopify store first');
      const since = new Date(Date.now() - request.body.days * DAY_MS);
      const sync = await db.transaction(async (tx) => {
        const started = await startStoreSync(tx, auth.workspaceId, {
          platform: 'shopify',
          kind: 'backfill',
          since,
        });
        if (!started)
          throw new ApiError(409, 'shopify.sync_running', 'An import of this store is already running');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.shopify.backfill',
          target: `shopify:${creds.connection.shopDomain}`,
          details: { days: request.body.days },
        });
        return started;
      });
      // Runs after the answer; its progress and outcome are read from the sync row.
      void runShopifyBackfill(
        { db, config: deps.shopify, outbound: channels.outbound, secretKey: channels.secretKey },
        auth.workspaceId,
        sync,
      ).catch((err) => request.log.error({ err }, 'shopify backfill crashed'));
      return reply.status(202).send(view(sync));
    },
  );

  r.post(
    '/workspace/shopify/reconcile',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Catch up with the store now: orders and fulfilments updated since the last sync (202)',
        description:
          'Shopify does not guarantee webhook delivery, so the server also reconciles every connected store periodically (HOURGLASS_SHOPIFY_RECONCILE_MINUTES, default 60); this runs one now. Orders updated since the last sync began (less 10 minutes) and their fulfilments are read back and fed through the webhook path: what a webhook already delivered is a duplicate, what was missed is stored and routed like the webhook would have been (older news is stored without starting journeys). Progress as for the backfill. 409 `shopify.not_connected`, 409 `shopify.sync_running`.',
        response: { 202: ShopifySyncView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { workspaceId } = authOf(request);
      const creds = await loadShopify(db, channels, workspaceId);
      if (!creds?.accessToken)
        throw new ApiError(409, 'shopify.not_connected', 'Connect a Shopify store first');
      const sync = await startShopifyReconcile(db, workspaceId);
      if (!sync)
        throw new ApiError(409, 'shopify.sync_running', 'An import of this store is already running');
      void runShopifyReconcile(
        {
          db,
          config: deps.shopify,
          outbound: channels.outbound,
          secretKey: channels.secretKey,
          onEventsAccepted: deps.onEventsAccepted,
        },
        workspaceId,
        sync,
      ).catch((err) => request.log.error({ err }, 'shopify reconciliation crashed'));
      return reply.status(202).send(view(sync));
    },
  );

  r.get(
    '/workspace/shopify/backfill',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The latest import's progress",
        description:
          'The latest import: running, done or failed (with a reason), its stage (customers, then orders), customers and orders imported so far, the orders the store counted for the period (the progress bar’s total) and how often the store’s rate limit made it wait. `sync` is null before the first import.',
        response: { 200: ShopifySyncStatus, ...errorResponses },
      },
    },
    async (request) => {
      const sync = await latestStoreSync(db, authOf(request).workspaceId, 'shopify');
      return { sync: sync ? view(sync) : null };
    },
  );
}
