// Shopify's Admin API as the server and the worker call it: one client over the outbound guard.
export {
  adminGraphql,
  adminGraphqlUrl,
  adminGraphqlWithCost,
  fetchShopName,
  graphqlTopic,
  type QueryCost,
  registerWebhooks,
  ShopifyApiError,
  type ShopifyShop,
  type TopicRegistration,
  waitForCost,
} from './admin-api';
export { SHOPIFY_API_VERSION, type ShopifyConfig, shopifyConfigFromEnv } from './config';
export { discountInput, pushDiscountToShopify, type StoreDiscount } from './discounts';
