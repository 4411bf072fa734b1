import {
  EventAccepted,
  EventBatch,
  EventBatchAccepted,
  EventInput,
  errorResponses,
} from '@hourglass/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ingestBatch, ingestOne } from '../../services/ingest';

/** Event ingest: store once, answer fast, route through the outbox. */
export async function eventRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/events',
    {
      config: { access: 'ingest' },
      schema: {
        tags: ['events'],
        summary: 'Ingest one event (202 accepted, 200 duplicate)',
        body: EventInput,
        response: { 200: EventAccepted, 202: EventAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await ingestOne(deps.db, authOf(request).workspaceId, request.body);
      if (result.status === 'accepted') deps.onEventsAccepted?.();
      return reply.status(result.status === 'accepted' ? 202 : 200).send(result);
    },
  );
  r.post(
    '/events/batch',
    {
      config: { access: 'ingest' },
      schema: {
        tags: ['events'],
        summary: 'Ingest up to 1000 events',
        body: EventBatch,
        response: { 200: EventBatchAccepted, 202: EventBatchAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const results = await ingestBatch(deps.db, authOf(request).workspaceId, request.body.events);
      const accepted = results.filter((x) => x.status === 'accepted').length;
      if (accepted > 0) deps.onEventsAccepted?.();
      return reply
        .status(accepted > 0 ? 202 : 200)
        .send({ accepted, duplicates: results.length - accepted, results });
    },
  );
}
