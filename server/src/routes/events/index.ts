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
        description:
          "Stores an event about a customer, found or created by `externalId`, email or phone, and about an order when it names one (by external id); updates the customer's stats; then starts the journeys it triggers and wakes the runs waiting for it, through a durable outbox, so an accepted event (202) is never lost. `id` is your idempotency key: the same id again answers 200 `duplicate` and changes nothing. Types the product does not know are custom events (`loyalty.points_earned`).",
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
        description:
          'The same as `POST /v1/events` for 1 to 1000 events in order, with one result per event. 202 when at least one was new, 200 when all were duplicates. The batch is validated whole: one invalid event refuses it (400 naming `body.events.<n>…`).',
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
