import { JourneyNameTakenError, SegmentRuleError } from '@hourglass/db';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DB_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './db-outage';

/** An error the client can switch on: stable `code`, HTTP status, and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** 404 for a resource that does not exist in the caller's workspace (also hides other workspaces' ids). */
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

type ValidationIssue = { instancePath?: string; message?: string };
/** Errors the handler maps itself: ours, the database package's, and Fastify's. */
type HandledError = FastifyError | ApiError | SegmentRuleError | JourneyNameTakenError;

/**
 * One error handler: 4xx keep their code and message; a database outage (unreachable, restarting) is a 503
 * with Retry-After and code `unavailable`, never a 500; other 5xx are logged with context and never leak
 * internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: HandledError, request, reply) => {
      if (err instanceof ApiError) {
        return reply
          .status(err.statusCode)
          .send({ code: err.code, message: err.message, field: err.field, ...err.extra });
      }
      if (err instanceof JourneyNameTakenError) {
        // Creating, renaming or importing: the name travels as `name` in each of those bodies.
        return reply
          .status(409)
          .send({ code: 'journey.name_taken', message: err.message, field: 'body.name' });
      }
      if (err instanceof SegmentRuleError) {
        // A rule SQL cannot express is well-formed but unsupported (422); a bad field or budget is a 400.
        const status = err.code === 'rule_unsupported' ? 422 : 400;
        return reply.status(status).send({ code: err.code, message: err.message, field: err.field });
      }
      const fastifyErr = err as FastifyError;
      if (fastifyErr.validation) {
        const first = fastifyErr.validation[0] as ValidationIssue | undefined;
        const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
        const field = [fastifyErr.validationContext, path].filter(Boolean).join('.') || undefined;
        return reply.status(400).send({
          code: 'invalid_request',
          message: `${field ?? 'request'}: ${first?.message ?? fastifyErr.message}`.slice(0, 500),
          field,
        });
      }
      if (isDatabaseUnavailable(err)) {
        request.log.warn(
          { url: request.url, method: request.method, err: (err as Error).message },
          'database unavailable',
        );
        return reply
          .status(503)
          .header('retry-after', String(DB_RETRY_AFTER_SECONDS))
          .send({ code: 'unavailable', message: 'The database is unavailable; retry shortly' });
      }
      const status = fastifyErr.statusCode ?? 500;
      if (status < 500) {
        return reply
          .status(status)
          .send({ code: clientCode(fastifyErr, status), message: fastifyErr.message.slice(0, 500) });
      }
      request.log.error({ err, url: request.url, method: request.method }, 'request failed');
      return reply.status(500).send({ code: 'internal', message: 'Internal error' });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${request.url}` }),
    );
  },
  { name: 'errors' },
);

function clientCode(err: FastifyError, status: number): string {
  if (status === 429) return 'rate_limited';
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError) return 'malformed_json';
  return (err.code ?? 'bad_request').toLowerCase();
}
