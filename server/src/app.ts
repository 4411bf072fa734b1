import Fastify, { type FastifyInstance } from 'fastify';
import { errorsPlugin } from './plugins/errors';
import { healthRoutes } from './routes/health';
import { serveWeb } from './web';

/** Everything the API needs from the outside world, passed in so tests use the real thing explicitly. */
export interface AppDeps {
  pingDatabase: () => Promise<unknown>;
  pingTemporal: () => Promise<unknown>;
  webDist?: string;
  logger?: boolean;
}

/** Builds the Fastify app (not listening). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 1024 * 1024 });
  await app.register(errorsPlugin);
  await app.register(async (scope) => healthRoutes(scope, deps));
  if (deps.webDist) await app.register(async (scope) => serveWeb(scope, deps.webDist as string));
  return app;
}
