import { errorResponses, IdParams, Journey } from '@hourglass/contract';
import { appendAudit, getJourney, getVersion, updateJourneyDraft } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { journeyView } from '../../services/journeys';

const tags = ['journeys'];

/** The draft against the live version: throwing the draft's changes away. */
export async function draftRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.post(
    '/journeys/:id/discard-draft',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Discard the draft: make it the live version again',
        description:
          "Replaces the draft graph with the live version's graph, throwing away every change saved since it was published (audited). Nothing else changes: the live version, its runs and the version history stay as they are. 409 `journey_not_published` when there is no live version to go back to; 409 `journey_archived` for an archived journey.",
        params: IdParams,
        response: { 200: Journey, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await getJourney(db, auth.workspaceId, request.params.id);
      if (!journey) throw notFound('Journey');
      if (journey.status === 'archived')
        throw new ApiError(409, 'journey_archived', 'An archived journey cannot be edited');
      if (journey.liveVersion === null)
        throw new ApiError(
          409,
          'journey_not_published',
          'This journey was never published: there is no live version to go back to',
        );
      const live = await getVersion(db, auth.workspaceId, journey.id, journey.liveVersion);
      if (!live) throw notFound(`Version ${journey.liveVersion}`);
      const updated = await updateJourneyDraft(db, auth.workspaceId, journey.id, { draftGraph: live.graph });
      if (!updated) throw notFound('Journey');
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.discard_draft',
        target: journey.id,
        details: { version: live.version },
      });
      return journeyView(db, updated);
    },
  );
}
