import { z } from 'zod';
import { Timestamp } from './common';

/** The Shopify webhook topics Hourglass subscribes to, as Shopify names them (`X-Shopify-Topic`). */
export const SHOPIFY_WEBHOOK_TOPICS = [
  'orders/create',
  'orders/paid',
  'orders/cancelled',
  'fulfillments/create',
  'fulfillments/update',
  'refunds/create',
  'customers/create',
  'customers/update',
] as const;
export type ShopifyWebhookTopic = (typeof SHOPIFY_WEBHOOK_TOPICS)[number];

/** A shop's permanent domain, `<name>.myshopify.com` (lower-cased; custom domains are not accepted). */
export const ShopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .regex(
    /^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$/,
    'Use the shop\'s permanent domain, such as "my-shop.myshopify.com"',
  )
  .describe("The shop's permanent domain: `<name>.myshopify.com`");
export type ShopDomain = z.infer<typeof ShopDomain>;

const Credential = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(500)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\s\u0000-\u001f\u007f]+$/, 'no spaces or control characters')
    .describe(`${what}; write-only, never shown again`);

/** PUT /v1/workspace/shopify: connect (or reconnect) a store. */
export const ShopifyConnectBody = z.object({
  shopDomain: ShopDomain,
  clientSecret: Credential("The app's client secret (Shopify signs webhooks with it)"),
  accessToken: Credential('An Admin API access token (`shpat_…`) to read orders and register webhooks'),
});
export type ShopifyConnectBody = z.infer<typeof ShopifyConnectBody>;

/** The store connection as shown: never the secrets, only whether they are set. */
export const ShopifyConnectionView = z.object({
  connected: z.boolean(),
  shopDomain: z.string().nullable(),
  shopName: z.string().nullable(),
  clientSecretSet: z.boolean(),
  accessTokenSet: z.boolean(),
  lastTestedAt: Timestamp.nullable(),
  webhooksRegisteredAt: Timestamp.nullable(),
  /** Where Shopify must send webhooks for this workspace. */
  webhookUrl: z.string(),
  topics: z.array(z.enum(SHOPIFY_WEBHOOK_TOPICS)),
});
export type ShopifyConnectionView = z.infer<typeof ShopifyConnectionView>;

/** POST /v1/workspace/shopify/test. */
export const ShopifyTestResult = z.object({ ok: z.literal(true), shopName: z.string() });
export type ShopifyTestResult = z.infer<typeof ShopifyTestResult>;

/** POST /v1/workspace/shopify/webhooks: each topic's registration. */
export const ShopifyRegisterResult = z.object({
  webhookUrl: z.string(),
  topics: z.array(
    z.object({
      topic: z.enum(SHOPIFY_WEBHOOK_TOPICS),
      status: z.enum(['registered', 'exists', 'failed']),
      message: z.string().nullable(),
    }),
  ),
});
export type ShopifyRegisterResult = z.infer<typeof ShopifyRegisterResult>;

/** POST /v1/workspace/shopify/backfill. */
export const ShopifyBackfillBody = z.object({
  days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(365)
    .describe('Import the orders of the last N days (1–3650, default 365), with every customer'),
});
export type ShopifyBackfillBody = z.infer<typeof ShopifyBackfillBody>;

/** An import from the store's API and its progress. */
export const ShopifySyncView = z.object({
  id: z.string(),
  kind: z.enum(['backfill', 'reconcile']),
  status: z.enum(['running', 'done', 'failed']),
  since: Timestamp,
  stage: z.string(),
  customersImported: z.number().int(),
  ordersImported: z.number().int(),
  /** Orders the store counted for the period; null until it said. */
  ordersTotal: z.number().int().nullable(),
  /** Times the store's rate limit made the import wait. */
  throttled: z.number().int(),
  error: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type ShopifySyncView = z.infer<typeof ShopifySyncView>;

/** GET /v1/workspace/shopify/backfill: the latest import, if any. */
export const ShopifySyncStatus = z.object({ sync: ShopifySyncView.nullable() });
export type ShopifySyncStatus = z.infer<typeof ShopifySyncStatus>;
