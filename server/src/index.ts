/** The API contract, re-exported for integration tests and tools. */
export * as contract from '@hourglass/contract';
export {
  ACCESS_EXTENSION,
  ACCESS_LEVELS,
  accessOfOperation,
  keyMay,
  PERMISSIONS,
  ROLE_TABLE,
  type RoleRow,
  roleMay,
} from './access-table';
export { type ApiDeps, type AppDeps, buildApp, type TemporalDeps } from './app';
export { type BootstrapResult, bootstrap } from './bootstrap';
export { type ServerConfig, serverConfigFromEnv } from './config';
export { isDatabaseUnavailable } from './plugins/db-outage';
export { ApiError } from './plugins/errors';
export { createTemporalClient, pingTemporal } from './plugins/temporal';
export { type WebhookDeps, webhookRoutes } from './routes/webhooks';
export { startDateSchedules, syncDateSchedules } from './routing/date-schedules';
export { type Dispatcher, type DispatcherOptions, startDispatcher } from './routing/dispatcher';
export { type RouteOutcome, routeEvent } from './routing/route-event';
export { estimateAudience } from './services/audience';
export { hashPassword } from './services/passwords';
export { startShopifyInbox } from './shopify/inbox';
export { startShopifyReconciler } from './shopify/reconcile';
