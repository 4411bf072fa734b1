import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/** Requests allowed per window: per verified credential, and per client address for everything else. */
export interface RequestLimits {
  /** Requests per API key or session (default 6000). */
  max: number;
  /** Requests per client address that carry no verified credential (default 600). */
  perAddressMax?: number;
  timeWindowMs: number;
}

/** The default budgets: generous for a real credential, tighter for strangers. */
export const DEFAULT_REQUEST_LIMITS = { max: 6000, perAddressMax: 600, timeWindowMs: 60_000 };

/**
 * Checks one request against its bucket, after the caller's credential was verified (`request.auth` set
 * or not): a verified key or session has its own bucket, so strangers sharing its address cannot exhaust
 * it; anything else — no credential, a made-up header or cookie, a revoked key — counts against the client
 * address, so inventing credentials never opens a fresh bucket. Needs @fastify/rate-limit registered.
 */
export function callerLimiter(
  app: FastifyInstance,
  limits: RequestLimits,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const perAddress = limits.perAddressMax ?? DEFAULT_REQUEST_LIMITS.perAddressMax;
  const check = app.rateLimit({
    timeWindow: limits.timeWindowMs,
    keyGenerator: (request) => {
      const auth = request.auth;
      if (auth?.kind === 'api_key' && auth.keyId) return `key:${auth.keyId}`;
      if (auth?.kind === 'session' && auth.sessionId) return `session:${auth.sessionId}`;
      return `ip:${request.ip}`;
    },
    max: (_request, key) => (key.startsWith('ip:') ? perAddress : limits.max),
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `Rate limit exceeded, retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  return async (request, reply) => {
    await check.call(app, request, reply);
  };
}
