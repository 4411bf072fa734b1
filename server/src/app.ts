import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { type ChannelsConfig, channelsConfigFromEnv } from '@hourglass/channels';
import type { Db } from '@hourglass/db';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { authPlugin, sha256 } from './plugins/auth';
import { docsPlugin } from './plugins/docs';
import { errorsPlugin } from './plugins/errors';
import { jsonGuardPlugin } from './plugins/json-guard';
import { accessRoutes } from './routes/auth';
import { customerRoutes } from './routes/customers';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { journeyRoutes } from './routes/journeys';
import { analyticsRoutes } from './routes/journeys/analytics';
import { messageRoutes } from './routes/messages';
import { runRoutes } from './routes/runs';
import { segmentRoutes } from './routes/segments';
import { webhookRoutes } from './routes/webhooks';
import { workspaceRoutes } from './routes/workspace';
import { serveWeb } from './web';

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
  /** Requests per key (or session, or IP) per window; default 6000 a minute. */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  /** Provider settings for webhooks and unsubscribe links; read from the environment when absent. */
  channels?: ChannelsConfig;
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

/** Builds the Fastify app (not listening). Without `db` only /health (and the web app) are served. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: deps.bodyLimit ?? 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorsPlugin);
  await app.register(cookie);
  await app.register(jsonGuardPlugin);
  await app.register(docsPlugin);
  await app.register(async (scope) => healthRoutes(scope, deps));
  const db = deps.db;
  if (db) {
    const api: ApiDeps = { ...deps, db };
    await app.register(
      async (v1) => {
        await v1.register(rateLimit, {
          max: api.rateLimit?.max ?? 6000,
          timeWindow: api.rateLimit?.timeWindowMs ?? 60_000,
          // Per credential, without a database lookup: the key itself (hashed), else the session, else the IP.
          keyGenerator: (request) => {
            const header = request.headers.authorization;
            if (header) return `key:${sha256(header)}`;
            const session = request.cookies.hg_session;
            return session ? `session:${sha256(session)}` : `ip:${request.ip}`;
          },
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            code: 'rate_limited',
            message: `Rate limit exceeded, retry in ${Math.ceil(context.ttl / 1000)} s`,
          }),
        });
        await v1.register(authPlugin, { db });
        await v1.register(async (s) => accessRoutes(s, api));
        await v1.register(async (s) => eventRoutes(s, api));
        await v1.register(async (s) => journeyRoutes(s, api));
        await v1.register(async (s) => segmentRoutes(s, api));
        await v1.register(async (s) => customerRoutes(s, api));
        await v1.register(async (s) => runRoutes(s, api));
        await v1.register(async (s) => analyticsRoutes(s, api));
        await v1.register(async (s) => messageRoutes(s, api));
        await v1.register(async (s) => workspaceRoutes(s, api));
      },
      { prefix: '/v1' },
    );
    // Not behind fastify-plugin: the webhook body parsers must stay in their own scope.
    await app.register(async (s) =>
      webhookRoutes(s, { db, channels: api.channels ?? channelsConfigFromEnv() }),
    );
  }
  if (deps.webDist) await app.register(async (scope) => serveWeb(scope, deps.webDist as string));
  return app;
}
