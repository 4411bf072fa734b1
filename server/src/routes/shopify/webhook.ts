import type { ChannelsConfig } from '@hourglass/channels';
import { SHOPIFY_WEBHOOK_TOPICS, type ShopifyWebhookTopic } from '@hourglass/contract';
import { acceptStoreWebhook, type Db } from '@hourglass/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { jsonInputProblem } from '../../plugins/json-guard';
import { loadShopifyCached } from '../../shopify/connection';
import { verifyShopifyHmac } from '../../shopify/hmac';
import { startShopifyInbox } from '../../shopify/inbox';
import { mapShopifyWebhook, ShopifyPayloadError } from '../../shopify/mapping';
import { parseShopifyJson } from '../../shopify/payloads';

/** What the Shopify webhook route needs. */
export interface ShopifyWebhookDeps {
  db: Db;
  channels: ChannelsConfig;
  /** Wakes the outbox dispatcher once events were stored. */
  onEventsAccepted?: () => void;
  /** Accepted deliveries applied at a time in this process (default 2; 0: none here). */
  inboxConcurrency?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEBHOOK_ID = /^[\x21-\x7e]{1,150}$/;
const isTopic = (t: unknown): t is ShopifyWebhookTopic =>
  typeof t === 'string' && (SHOPIFY_WEBHOOK_TOPICS as readonly string[]).includes(t);

const invalid = (reply: FastifyReply, field: string, message: string) =>
  reply
    .status(400)
    .send({ code: 'webhook.invalid_payload', message: `${field}: ${message}`.slice(0, 500), field });

const DESCRIPTION = `Webhooks of the workspace's connected Shopify store (topics ${SHOPIFY_WEBHOOK_TOPICS.join(', ')}). \`X-Shopify-Hmac-Sha256\` (base64 HMAC-SHA256 of the raw body with the app's client secret) is verified before the body is read: a missing or wrong one answers 401 \`invalid_signature\` and stores nothing; a shop other than the connected one 401 \`webhook.wrong_shop\`. A verified delivery is stored and answered 200 \`accepted\` at once, then applied in the background (Hourglass events, see docs/shopify.md, routed through the outbox); each \`X-Shopify-Webhook-Id\` is stored once (a redelivery answers 200 \`duplicate\`), and an update older than one already applied to the same fulfilment or customer (by \`updated_at\`, else \`X-Shopify-Triggered-At\`) changes nothing (stale). 404 \`webhook_not_configured\` when the workspace has no store connected; 400 \`webhook.invalid_payload\` naming the field of a signed body its topic cannot read; other topics answer 200 \`ignored\`.`;

/**
 * POST /webhooks/shopify/:workspaceId. Register without fastify-plugin: the raw-body parser below must
 * stay in this scope (the signature covers the exact bytes).
 */
export async function shopifyWebhookRoutes(app: FastifyInstance, deps: ShopifyWebhookDeps) {
  const { db, channels } = deps;
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Accepted deliveries are applied here, in the background, for as long as the app runs.
  const concurrency = deps.inboxConcurrency ?? 2;
  const inbox =
    concurrency > 0
      ? startShopifyInbox({ db, onEventsAccepted: deps.onEventsAccepted, log: app.log, concurrency })
      : null;
  app.addHook('onClose', async () => inbox?.stop());

  app.post(
    '/webhooks/shopify/:workspaceId',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['webhooks'],
        summary: "Shopify webhooks for a workspace's store",
        description: DESCRIPTION,
      },
    },
    async (request, reply) => {
      const { workspaceId } = request.params as { workspaceId: string };
      const creds = UUID.test(workspaceId) ? await loadShopifyCached(db, channels, workspaceId) : null;
      if (!creds?.clientSecret)
        return reply
          .status(404)
          .send({ code: 'webhook_not_configured', message: 'This workspace has no Shopify store connected' });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const h = request.headers;
      if (!verifyShopifyHmac(raw, h['x-shopify-hmac-sha256'], creds.clientSecret))
        return reply
          .status(401)
          .send({ code: 'invalid_signature', message: 'Signature verification failed' });
      // One app secret signs for every shop that installed the app: only the connected shop counts here.
      const shop = String(h['x-shopify-shop-domain'] ?? '').toLowerCase();
      if (shop !== creds.connection.shopDomain)
        return reply.status(401).send({
          code: 'webhook.wrong_shop',
          message: 'The webhook comes from another shop than the connected one',
        });
      const topic = h['x-shopify-topic'];
      if (!isTopic(topic)) return reply.status(200).send({ status: 'ignored' });
      const webhookId = h['x-shopify-webhook-id'];
      if (typeof webhookId !== 'string' || !WEBHOOK_ID.test(webhookId))
        return invalid(reply, 'headers.x-shopify-webhook-id', 'missing or not printable ASCII');
      const triggered = h['x-shopify-triggered-at'];
      const triggeredAt = typeof triggered === 'string' ? new Date(triggered) : null;
      if (triggeredAt && Number.isNaN(triggeredAt.getTime()))
        return invalid(reply, 'headers.x-shopify-triggered-at', 'not a date');
      let body: unknown;
      try {
        body = parseShopifyJson(raw.toString('utf8'));
      } catch {
        return invalid(reply, 'body', 'not JSON');
      }
      const problem = jsonInputProblem(body);
      if (problem) return invalid(reply, `body${problem.path}`, problem.message);
      // The body is checked against its topic now, so a sender bug is a 400 it can see; applying it
      // (customer lookups, stale check, ingest) happens in the inbox after the answer.
      try {
        mapShopifyWebhook(topic, body, { webhookId, triggeredAt, orderCustomer: null });
      } catch (e) {
        if (e instanceof ShopifyPayloadError) return invalid(reply, e.field, e.message);
        throw e;
      }
      const fresh = await acceptStoreWebhook(db, workspaceId, {
        platform: 'shopify',
        webhookId,
        topic,
        triggeredAt,
        payload: body,
      });
      if (fresh) inbox?.poke();
      return reply.status(200).send({ status: fresh ? 'accepted' : 'duplicate' });
    },
  );
}
