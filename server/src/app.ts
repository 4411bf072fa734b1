import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { channelsConfigFromEnv, shopifyConfigFromEnv } from '@hourglass/channels';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiDeps, AppDeps } from './deps';
import { authPlugin } from './plugins/auth';
import { docsPlugin } from './plugins/docs';
import { errorsPlugin } from './plugins/errors';
import { jsonGuardPlugin } from './plugins/json-guard';
import { DEFAULT_REQUEST_LIMITS } from './plugins/request-limits';
import { securityHeadersPlugin } from './plugins/security-headers';
import { accountRoutes } from './routes/account';
import { accessRoutes } from './routes/auth';
import { customerRoutes } from './routes/customers';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { journeyRoutes } from './routes/journeys';
import { analyticsRoutes } from './routes/journeys/analytics';
import { messageRoutes } from './routes/messages';
import { redirectRoutes } from './routes/redirect';
import { runRoutes } from './routes/runs';
import { segmentRoutes } from './routes/segments';
import { shopifyConnectionRoutes } from './routes/shopify/connection';
import { shopifyWebhookRoutes } from './routes/shopify/webhook';
import { teamRoutes } from './routes/team';
import { webhookRoutes } from './routes/webhooks';
import { workspaceRoutes } from './routes/workspace';
import { serveWeb } from './web';

export type { ApiDeps, AppDeps, TemporalDeps } from './deps';

/** Builds the Fastify app (not listening). Without `db` only /health (and the web app) are served. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: deps.bodyLimit ?? 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorsPlugin);
  // First hook at the root: every response, errors and 404s included, carries the security headers.
  await app.register(securityHeadersPlugin);
  await app.register(cookie);
  await app.register(jsonGuardPlugin);
  await app.register(docsPlugin);
  await app.register(async (scope) => healthRoutes(scope, deps));
  const db = deps.db;
  if (db) {
    const api: ApiDeps = { ...deps, db };
    await app.register(
      async (v1) => {
        // Limits are applied by the auth hook, once the caller's credential is verified (see request-limits).
        await v1.register(rateLimit, { global: false });
        await v1.register(authPlugin, { db, limits: api.rateLimit ?? DEFAULT_REQUEST_LIMITS });
        await v1.register(async (s) => accessRoutes(s, api));
        await v1.register(async (s) => accountRoutes(s, api));
        await v1.register(async (s) => eventRoutes(s, api));
        await v1.register(async (s) => journeyRoutes(s, api));
        await v1.register(async (s) => segmentRoutes(s, api));
        await v1.register(async (s) => customerRoutes(s, api));
        await v1.register(async (s) => runRoutes(s, api));
        await v1.register(async (s) => analyticsRoutes(s, api));
        await v1.register(async (s) => messageRoutes(s, api));
        await v1.register(async (s) => workspaceRoutes(s, api));
        await v1.register(async (s) => teamRoutes(s, api));
        await v1.register(async (s) =>
          shopifyConnectionRoutes(s, { ...api, channels: api.channels ?? channelsConfigFromEnv() }),
        );
      },
      { prefix: '/v1' },
    );
    // Not behind fastify-plugin: the webhook body parsers must stay in their own scope.
    await app.register(async (s) =>
      webhookRoutes(s, { db, channels: api.channels ?? channelsConfigFromEnv() }),
    );
    await app.register(async (s) =>
      redirectRoutes(s, { db, channels: api.channels ?? channelsConfigFromEnv() }),
    );
    await app.register(async (s) =>
      shopifyWebhookRoutes(s, {
        db,
        channels: api.channels ?? channelsConfigFromEnv(),
        onEventsAccepted: api.onEventsAccepted,
        inboxConcurrency: (api.shopify ?? api.channels?.shopify ?? shopifyConfigFromEnv()).inboxConcurrency,
      }),
    );
  }
  if (deps.webDist) await app.register(async (scope) => serveWeb(scope, deps.webDist as string));
  return app;
}
