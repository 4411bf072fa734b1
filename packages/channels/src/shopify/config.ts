/** How the server reaches Shopify's Admin API. */
export interface ShopifyConfig {
  /** Admin API version in request paths. */
  apiVersion: string;
  /**
   * Replaces `https://<shop>` as the Admin API origin (HOURGLASS_SHOPIFY_API_BASE): for a local fake of
   * the API in tests and demos only. It must also be reachable under the outbound allow-list.
   */
  apiBase: string | null;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Minutes between reconciliations of every connected store (0: never). */
  reconcileMinutes: number;
  /** Accepted webhooks this process applies at a time (0: none here, another process applies them). */
  inboxConcurrency?: number;
}

/** The Admin API version this connector speaks (webhook subscriptions take `uri`). */
export const SHOPIFY_API_VERSION = '2025-10';

/** Reads the Shopify settings from the environment. */
export function shopifyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ShopifyConfig {
  return {
    apiVersion: env.HOURGLASS_SHOPIFY_API_VERSION || SHOPIFY_API_VERSION,
    apiBase: env.HOURGLASS_SHOPIFY_API_BASE?.replace(/\/$/, '') || null,
    timeoutMs: Number(env.HOURGLASS_SHOPIFY_TIMEOUT_MS ?? 10_000),
    reconcileMinutes: Number(env.HOURGLASS_SHOPIFY_RECONCILE_MINUTES ?? 60),
    inboxConcurrency: Number(env.HOURGLASS_SHOPIFY_INBOX_CONCURRENCY ?? 2),
  };
}
