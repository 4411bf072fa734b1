// @hourglass/nodes — built-in node types (definition / ui / runtime per folder), registries, templates.
export * from './ab_split/definition';
export * from './action-types';
export * from './actions';
export * from './branch/definition';
export * from './common';
export * from './delay/definition';
export * from './exit/definition';
export * from './liquid';
export * from './registry';
export * from './send_email/definition';
export * from './send_sms/definition';
export * from './templates';
export * from './trigger/definition';
export * from './ui';
export * from './ui-types';
export * from './update_customer/definition';
export type { CustomerUpdateDeps } from './update_customer/runtime';
export * from './wait_for_event/definition';
export * from './webhook/definition';
export {
  type FetchLike,
  secretKey,
  signWebhook,
  type WebhookDeps,
  webCryptoHmacSha256,
} from './webhook/runtime';
