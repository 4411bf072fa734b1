import { OutboundError, type OutboundPolicy, outboundFetch } from '@hourglass/outbound';
import type { ShopifyConfig } from './config';

/** Why a call to the Admin API failed; `code` is stable, the message never carries the remote body. */
export class ShopifyApiError extends Error {
  constructor(
    readonly code:
      | 'shopify.unauthorized'
      | 'shopify.failed'
      | 'shopify.throttled'
      | 'shopify.graphql_error'
      | OutboundError['code'],
    message: string,
    /** For `shopify.throttled`: how long the store's rate limit asks to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ShopifyApiError';
  }
}

/** Shopify's query cost report (`extensions.cost`): the leaky bucket the calls draw from. */
export interface QueryCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable?: number; restoreRate?: number };
}

/** How long until the bucket holds `needed` points again (0 when it already does). */
export function waitForCost(cost: QueryCost | undefined, needed: number): number {
  const t = cost?.throttleStatus;
  if (!t || typeof t.currentlyAvailable !== 'number' || !t.restoreRate || t.restoreRate <= 0) return 0;
  const missing = needed - t.currentlyAvailable;
  return missing > 0 ? Math.min(60_000, Math.ceil((missing / t.restoreRate) * 1000)) : 0;
}

/** What a call needs to reach one shop. */
export interface ShopifyShop {
  shopDomain: string;
  accessToken: string;
}

/** Admin GraphQL endpoint of a shop (or of the configured fake). */
export function adminGraphqlUrl(config: ShopifyConfig, shopDomain: string): string {
  const origin = config.apiBase ?? `https://${shopDomain}`;
  return `${origin}/admin/api/${config.apiVersion}/graphql.json`;
}

/**
 * One Admin GraphQL call through the product's outbound client (internal addresses refused, no
 * redirects). Answers `data`; HTTP and GraphQL failures become a ShopifyApiError.
 */
export async function adminGraphql<T>(
  deps: { config: ShopifyConfig; outbound: OutboundPolicy },
  shop: ShopifyShop,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return (await adminGraphqlWithCost<T>(deps, shop, query, variables)).data;
}

/** adminGraphql, also answering the query's cost report so callers can pace themselves. */
export async function adminGraphqlWithCost<T>(
  deps: { config: ShopifyConfig; outbound: OutboundPolicy },
  shop: ShopifyShop,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: T; cost: QueryCost | undefined }> {
  let res: Awaited<ReturnType<typeof outboundFetch>>;
  try {
    res = await outboundFetch(deps.outbound, adminGraphqlUrl(deps.config, shop.shopDomain), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-shopify-access-token': shop.accessToken,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(deps.config.timeoutMs),
    });
  } catch (e) {
    if (e instanceof OutboundError) throw new ShopifyApiError(e.code, e.message);
    throw e;
  }
  if (res.status === 401 || res.status === 403)
    throw new ShopifyApiError(
      'shopify.unauthorized',
      `Shopify refused the access token (HTTP ${res.status})`,
    );
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    const ms = Number.isFinite(after) && after > 0 ? Math.min(60_000, after * 1000) : 1000;
    await res.text().catch(() => '');
    throw new ShopifyApiError('shopify.throttled', 'Shopify is throttling requests', ms);
  }
  if (res.status !== 200) throw new ShopifyApiError('shopify.failed', `Shopify answered HTTP ${res.status}`);
  let body: {
    data?: T;
    errors?: { message?: string; extensions?: { code?: string } }[];
    extensions?: { cost?: QueryCost };
  };
  try {
    body = JSON.parse(await res.text());
  } catch {
    throw new ShopifyApiError('shopify.failed', 'Shopify answered something that is not JSON');
  }
  // Shopify sends `errors` as a list, or as a plain string for some refusals.
  const errors = Array.isArray(body.errors) ? body.errors : body.errors ? [{}] : [];
  if (errors.length) {
    const throttled = errors.some((e) => e.extensions?.code === 'THROTTLED');
    if (throttled) {
      const cost = body.extensions?.cost;
      const wait = waitForCost(cost, cost?.requestedQueryCost ?? 0);
      throw new ShopifyApiError('shopify.throttled', 'Shopify is throttling requests', Math.max(wait, 100));
    }
    const denied = errors.some((e) => e.extensions?.code === 'ACCESS_DENIED');
    throw new ShopifyApiError(
      denied ? 'shopify.unauthorized' : 'shopify.graphql_error',
      denied ? 'The access token lacks a scope this needs' : 'Shopify refused the query',
    );
  }
  if (!body.data) throw new ShopifyApiError('shopify.failed', 'Shopify answered without data');
  return { data: body.data, cost: body.extensions?.cost };
}

/** The shop's name: proves the domain and token work together. */
export async function fetchShopName(
  deps: { config: ShopifyConfig; outbound: OutboundPolicy },
  shop: ShopifyShop,
): Promise<string> {
  const data = await adminGraphql<{ shop?: { name?: unknown } }>(deps, shop, 'query { shop { name } }');
  const name = data.shop?.name;
  if (typeof name !== 'string')
    throw new ShopifyApiError('shopify.failed', 'Shopify answered without a shop name');
  return name.slice(0, 200);
}

const CREATE_WEBHOOK = `mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id }
    userErrors { field message }
  }
}`;

/** `orders/create` → `ORDERS_CREATE`, the GraphQL enum name of a topic. */
export const graphqlTopic = (topic: string) => topic.replace('/', '_').toUpperCase();

/** What became of one topic's subscription. */
export interface TopicRegistration<T extends string = string> {
  topic: T;
  status: 'registered' | 'exists' | 'failed';
  message: string | null;
}

/**
 * Subscribes `uri` to each topic (webhookSubscriptionCreate). A subscription that already exists for
 * this address is reported as such; other refusals are reported per topic, with Shopify's message.
 */
export async function registerWebhooks<T extends string>(
  deps: { config: ShopifyConfig; outbound: OutboundPolicy },
  shop: ShopifyShop,
  uri: string,
  topics: readonly T[],
): Promise<TopicRegistration<T>[]> {
  const out: TopicRegistration<T>[] = [];
  for (const topic of topics) {
    type Answer = {
      webhookSubscriptionCreate?: { userErrors?: { message?: string }[]; webhookSubscription?: unknown };
    };
    let data: Answer;
    try {
      data = await adminGraphql<Answer>(deps, shop, CREATE_WEBHOOK, {
        topic: graphqlTopic(topic),
        webhookSubscription: { uri, format: 'JSON' },
      });
    } catch (e) {
      // A token may lack one topic's scope (read_fulfillments…): that topic fails, the others go on.
      if (
        !(e instanceof ShopifyApiError) ||
        !['shopify.unauthorized', 'shopify.graphql_error'].includes(e.code)
      )
        throw e;
      out.push({ topic, status: 'failed', message: e.message });
      continue;
    }
    const errors = data.webhookSubscriptionCreate?.userErrors ?? [];
    if (errors.length === 0) {
      out.push({ topic, status: 'registered', message: null });
      continue;
    }
    const message = String(errors[0]?.message ?? 'refused').slice(0, 300);
    out.push({
      topic,
      status: /already (been )?taken|already exists/i.test(message) ? 'exists' : 'failed',
      message,
    });
  }
  return out;
}
