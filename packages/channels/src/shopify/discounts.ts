import { type Executor, getStoreConnection } from '@hourglass/db';
import type { OutboundPolicy } from '@hourglass/outbound';
import { decryptStoreCredentials } from '../secrets';
import { adminGraphql, ShopifyApiError } from './admin-api';
import { type ShopifyConfig, shopifyConfigFromEnv } from './config';

/** A code Hourglass issued, as the store should honour it. */
export interface StoreDiscount {
  code: string;
  kind: 'percent' | 'amount';
  /** Percent off (10 = 10 %) or an amount in the shop's currency. */
  value: number;
  expiresAt: Date | null;
  /** The shopper's Shopify customer id, when the customer came from the store (only they may use it). */
  shopifyCustomerId: string | null;
  startsAt: Date;
}

const BY_CODE = `query discountByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }`;
const CREATE = `mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

/** The discountCodeBasicCreate input of a code: single use, for its customer when known. */
export function discountInput(d: StoreDiscount) {
  return {
    title: `Hourglass ${d.code}`,
    code: d.code,
    startsAt: d.startsAt.toISOString(),
    endsAt: d.expiresAt?.toISOString() ?? null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: d.shopifyCustomerId
      ? { customers: { add: [`gid://shopify/Customer/${d.shopifyCustomerId}`] } }
      : { all: 'ALL' },
    customerGets: {
      value:
        d.kind === 'percent'
          ? { percentage: Math.round(d.value * 100) / 10_000 }
          : { discountAmount: { amount: d.value.toFixed(2), appliesOnEachItem: false } },
      items: { all: true },
    },
  };
}

/**
 * Makes an issued code redeemable in the workspace's Shopify store, once: a code the store already has
 * (an earlier attempt that succeeded, or a retry racing it) counts as done, so retries never make two.
 * `not_connected` when the workspace has no store (the code stays Hourglass's own).
 */
export async function pushDiscountToShopify(
  db: Executor,
  config: { secretKey: string; outbound: OutboundPolicy; shopify?: ShopifyConfig },
  workspaceId: string,
  discount: StoreDiscount,
): Promise<'created' | 'exists' | 'not_connected'> {
  const connection = await getStoreConnection(db, workspaceId, 'shopify');
  if (!connection) return 'not_connected';
  let token: string | undefined;
  try {
    token = decryptStoreCredentials(config.secretKey, connection.secretCiphertext).accessToken;
  } catch {
    token = undefined;
  }
  if (!token) throw new ShopifyApiError('shopify.unauthorized', 'The stored access token cannot be read');
  const deps = { config: config.shopify ?? shopifyConfigFromEnv(), outbound: config.outbound };
  const shop = { shopDomain: connection.shopDomain, accessToken: token };
  const found = await adminGraphql<{ codeDiscountNodeByCode?: { id?: string } | null }>(deps, shop, BY_CODE, {
    code: discount.code,
  });
  if (found.codeDiscountNodeByCode?.id) return 'exists';
  const made = await adminGraphql<{
    discountCodeBasicCreate?: { userErrors?: { code?: string | null; message?: string }[] } | null;
  }>(deps, shop, CREATE, { basicCodeDiscount: discountInput(discount) });
  const errors = made.discountCodeBasicCreate?.userErrors ?? [];
  if (errors.length === 0) return 'created';
  if (errors.some((e) => e.code === 'TAKEN' || /unique|taken/i.test(e.message ?? ''))) return 'exists';
  throw new ShopifyApiError(
    'shopify.graphql_error',
    `Shopify refused the discount: ${String(errors[0]?.message).slice(0, 200)}`,
  );
}
