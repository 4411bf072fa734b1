import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** An error the client can switch on: stable `code`, HTTP status, and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** One error handler: 4xx keep their code and message; 5xx are logged with context and never leak internals. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ code: err.code, message: err.message, field: err.field });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      return reply.status(status).send({ code: clientCode(err), message: err.message });
    }
    request.log.error({ err, url: request.url, method: request.method }, 'request failed');
    return reply.status(500).send({ code: 'internal', message: 'Internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${request.url}` }),
  );
});

function clientCode(err: FastifyError): string {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError) return 'malformed_json';
  if (err.validation) return 'invalid_request';
  return (err.code ?? 'bad_request').toLowerCase();
}
