import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

// Sends webhooks the way Shopify does: the JSON body as bytes, signed with the app's client secret
// (X-Shopify-Hmac-Sha256, base64 HMAC-SHA256 of the raw body), with its topic, shop, delivery id and
// trigger time in headers.

/** One delivery. */
export interface ShopifyDeliveryInput {
  topic: string;
  body: unknown;
  /** X-Shopify-Webhook-Id: the same id on every retry of one delivery. */
  webhookId?: string;
  triggeredAt?: string;
  /** Overrides the computed signature (forgeries). */
  hmac?: string | null;
  /** Sends these exact bytes instead of JSON.stringify(body). */
  raw?: string;
}

/** A sender bound to one workspace's URL, shop and secret. */
export function shopifySender(
  app: FastifyInstance,
  opts: { workspaceId: string; shop: string; secret: string },
) {
  return (d: ShopifyDeliveryInput) => {
    const raw = d.raw ?? JSON.stringify(d.body);
    const hmac =
      d.hmac === undefined ? createHmac('sha256', opts.secret).update(raw).digest('base64') : d.hmac;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-shopify-topic': d.topic,
      'x-shopify-shop-domain': opts.shop,
      'x-shopify-api-version': '2025-10',
      'x-shopify-webhook-id': d.webhookId ?? randomUUID(),
      'x-shopify-triggered-at': d.triggeredAt ?? new Date().toISOString(),
      'x-shopify-event-id': randomUUID(),
    };
    if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
    return app.inject({
      method: 'POST',
      url: `/webhooks/shopify/${opts.workspaceId}`,
      headers,
      payload: raw,
    });
  };
}
