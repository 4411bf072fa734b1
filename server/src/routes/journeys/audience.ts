import { AudienceEstimate, AudienceEstimateBody, errorResponses, IdParams } from '@hourglass/contract';
import { getJourney } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { AUDIENCE_WINDOW_DAYS, estimateAudience } from '../../services/audience';

const tags = ['journeys'];

/** Who a journey would reach: the publish dialog's estimate. */
export async function audienceRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.post(
    '/journeys/:id/audience-estimate',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'How many customers the trigger and entry rules match today',
        description: `Counts, now, the customers who had the trigger event in the last ${AUDIENCE_WINDOW_DAYS} days, those whose latest such event passes the trigger's filter (checked as routing checks it), and of those the ones in the entry segment and matching the entry conditions today. Entry limits (once per order, at most every N days) and events still to come are not counted. Estimates the saved draft, or \`graph\` when given (nothing is saved). 422 \`journey_invalid\` with the diagnostics for a journey with problems; 422 \`filter.too_complex\` for a filter over 1,000 conditions; 422 \`audience.too_costly\` when counting takes over 3 seconds.`,
        params: IdParams,
        body: AudienceEstimateBody,
        response: { 200: AudienceEstimate, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await getJourney(db, auth.workspaceId, request.params.id);
      if (!journey) throw notFound('Journey');
      const given = request.body?.graph;
      return estimateAudience(
        db,
        auth.workspaceId,
        given ?? journey.draftGraph,
        given ? 'body.graph' : 'draftGraph',
      );
    },
  );
}
