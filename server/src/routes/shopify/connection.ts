import {
  type ChannelsConfig,
  encryptStoreCredentials,
  fetchShopName,
  registerWebhooks,
  ShopifyApiError,
  type ShopifyConfig,
  shopifyConfigFromEnv,
} from '@hourglass/channels';
import {
  ApiErrorBody,
  errorResponses,
  Ok,
  SHOPIFY_WEBHOOK_TOPICS,
  ShopifyConnectBody,
  ShopifyConnectionView,
  ShopifyRegisterResult,
  ShopifyTestResult,
} from '@hourglass/contract';
import {
  appendAudit,
  deleteStoreConnection,
  markStoreConnection,
  upsertStoreConnection,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { connectionView, forgetShopify, loadShopify, shopifyWebhookUrl } from '../../shopify/connection';
import { shopifyImportRoutes } from './backfill';

const tags = ['workspace'];

// Shopify's answer is never passed on (it may echo the token or internals): its failures become a
// 502 with a stable code and a fixed message.
const upstream = (e: unknown) => {
  if (e instanceof ShopifyApiError) return new ApiError(502, e.code, e.message);
  return e;
};

/** Connecting a Shopify store: settings (secrets write-only), a connection test, webhook registration. */
export async function shopifyConnectionRoutes(
  app: FastifyInstance,
  deps: ApiDeps & { channels: ChannelsConfig; shopify?: ShopifyConfig },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, channels } = deps;
  const api = {
    config: deps.shopify ?? channels.shopify ?? shopifyConfigFromEnv(),
    outbound: channels.outbound,
  };
  await shopifyImportRoutes(app, { ...deps, shopify: api.config });

  const connected = async (workspaceId: string) => {
    const creds = await loadShopify(db, channels, workspaceId);
    if (!creds) throw new ApiError(409, 'shopify.not_connected', 'Connect a Shopify store first');
    if (!creds.accessToken)
      throw new ApiError(
        409,
        'shopify.not_connected',
        'The stored access token cannot be read: connect again',
      );
    return { ...creds, accessToken: creds.accessToken };
  };

  r.get(
    '/workspace/shopify',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The workspace's Shopify connection; secrets show only whether they are set",
        description:
          'The connected shop (domain, name from the last test), whether the client secret and access token are set (never their values), when the connection was last tested and its webhooks registered, and the exact webhook address and topics to subscribe in Shopify.',
        response: { 200: ShopifyConnectionView, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      return connectionView(channels, workspaceId, await loadShopify(db, channels, workspaceId));
    },
  );

  r.put(
    '/workspace/shopify',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Connect a Shopify store (admins); the secrets are never shown again',
        description:
          "Stores the shop's permanent domain (`<name>.myshopify.com`), the app's client secret (verifies webhooks) and an Admin API access token, encrypted with the installation key. Replaces an earlier connection (which then counts as untested). Audit-logged without the secrets.",
        body: ShopifyConnectBody,
        response: { 200: ShopifyConnectionView, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { shopDomain, clientSecret, accessToken } = request.body;
      await db.transaction(async (tx) => {
        await upsertStoreConnection(tx, auth.workspaceId, {
          platform: 'shopify',
          shopDomain,
          secretCiphertext: encryptStoreCredentials(channels.secretKey, { clientSecret, accessToken }),
          createdBy: auth.userId,
        });
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.shopify.connected',
          target: `shopify:${shopDomain}`,
        });
      });
      forgetShopify(db, auth.workspaceId);
      return connectionView(channels, auth.workspaceId, await loadShopify(db, channels, auth.workspaceId));
    },
  );

  r.post(
    '/workspace/shopify/test',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Test the Shopify connection (asks the Admin API for the shop name)',
        description:
          "Calls Shopify's Admin GraphQL API (`shop { name }`) with the stored token and records the shop's name. 409 `shopify.not_connected` without a connection; 502 `shopify.unauthorized` when Shopify refuses the token, `shopify.failed` or `outbound.*` when it cannot be reached (Shopify's answer is never passed on).",
        response: { 200: ShopifyTestResult, 502: ApiErrorBody, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const creds = await connected(workspaceId);
      const shopName = await fetchShopName(api, {
        shopDomain: creds.connection.shopDomain,
        accessToken: creds.accessToken,
      }).catch((e) => {
        throw upstream(e);
      });
      await markStoreConnection(db, workspaceId, 'shopify', { shopName, lastTestedAt: new Date() });
      return { ok: true as const, shopName };
    },
  );

  r.post(
    '/workspace/shopify/webhooks',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Register this workspace's webhooks in the shop (webhookSubscriptionCreate per topic)",
        description: `Subscribes the workspace's webhook address to each topic (${SHOPIFY_WEBHOOK_TOPICS.join(', ')}) through the Admin API and says per topic whether it was registered, already existed or failed (with Shopify's reason, e.g. a missing scope). Needs a token with the read_orders, read_fulfillments and read_customers scopes; without them, subscribe the address by hand. Errors as for the test.`,
        response: { 200: ShopifyRegisterResult, 502: ApiErrorBody, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const creds = await connected(workspaceId);
      const webhookUrl = shopifyWebhookUrl(channels, workspaceId);
      const topics = await registerWebhooks(
        api,
        { shopDomain: creds.connection.shopDomain, accessToken: creds.accessToken },
        webhookUrl,
        SHOPIFY_WEBHOOK_TOPICS,
      ).catch((e) => {
        throw upstream(e);
      });
      if (topics.every((t) => t.status !== 'failed'))
        await markStoreConnection(db, workspaceId, 'shopify', { webhooksRegisteredAt: new Date() });
      return { webhookUrl, topics };
    },
  );

  r.delete(
    '/workspace/shopify',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Disconnect the Shopify store (admins)',
        description:
          "Deletes the connection and its secrets at once: webhooks from the shop are then refused (404 `webhook_not_configured`). Events already received stay. 404 when no store is connected. Audit-logged. (Remove the shop's webhook subscriptions in Shopify too.)",
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      await db.transaction(async (tx) => {
        if (!(await deleteStoreConnection(tx, auth.workspaceId, 'shopify')))
          throw notFound('Shopify connection');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.shopify.disconnected',
          target: `workspace:${auth.workspaceId}`,
        });
      });
      forgetShopify(db, auth.workspaceId);
      return { ok: true as const };
    },
  );
}
