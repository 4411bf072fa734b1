import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps';

type Check = 'ok' | 'unreachable';

const HEALTH_DOCS = {
  tags: ['health'],
  summary: 'Liveness of the API and its services',
  description:
    'Answers 200 `{"status": "ok"}` when PostgreSQL and Temporal both answer, else 503 with `Retry-After` and the check that failed. For load balancers and uptime checks.',
};

/** `GET /health`: 200 when PostgreSQL and Temporal both answer, 503 naming the failing check otherwise. */
export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get('/health', { schema: HEALTH_DOCS }, async (_request, reply) => {
    const [database, temporal] = await Promise.all([
      settle(() => withTimeout(deps.pingDatabase(), 2000)),
      settle(() => deps.pingTemporal()),
    ]);
    const status = database === 'ok' && temporal === 'ok' ? 'ok' : 'unavailable';
    if (status !== 'ok') reply.header('Retry-After', '5');
    return reply.status(status === 'ok' ? 200 : 503).send({ status, checks: { database, temporal } });
  });
}

async function settle(fn: () => Promise<unknown>): Promise<Check> {
  try {
    await fn();
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
