import type { ChannelsConfig, ShopifyConfig } from '@hourglass/channels';
import type { Db, LoginLimits } from '@hourglass/db';
import type { Client } from '@temporalio/client';
import type { RequestLimits } from './plugins/request-limits';

// What the app and its routes are given, apart from the app itself, so routes never import app.ts.

/** Temporal as the API uses it: start and signal runs on this task queue. */
export interface TemporalDeps {
  client: Client;
  taskQueue: string;
}

/** What the /v1 routes need. */
export interface ApiDeps {
  db: Db;
  temporal?: TemporalDeps | null;
  /** Called after events were accepted, so the dispatcher routes them without waiting for its poll. */
  onEventsAccepted?: () => void;
  /** Requests per verified key or session, and per address for the rest; default 6000 and 600 a minute. */
  rateLimit?: RequestLimits;
  /** Failed sign-ins before a lockout; default 5 per email and address, 20 per address, in 15 minutes. */
  loginLimits?: LoginLimits;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  /** Provider settings for webhooks and unsubscribe links; read from the environment when absent. */
  channels?: ChannelsConfig;
  /** How Shopify's Admin API is reached; read from the environment when absent. */
  shopify?: ShopifyConfig;
}

/** Everything the API needs from the outside world, passed in so tests use the real thing explicitly. */
export interface AppDeps extends Partial<ApiDeps> {
  pingDatabase: () => Promise<unknown>;
  pingTemporal: () => Promise<unknown>;
  webDist?: string;
  logger?: boolean;
  /** Largest accepted body in bytes (default 1 MiB; a full batch of 1000 events fits). */
  bodyLimit?: number;
}
