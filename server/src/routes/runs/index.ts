import { errorResponses, IdParams, Run, RunListQuery, RunTimeline } from '@hourglass/contract';
import { getRunTimeline, listRuns } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../app';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';

const tags = ['runs'];

/** Journey runs: list and one run's timeline (steps, messages). */
export async function runRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/runs',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List runs by journey, customer, status',
        querystring: RunListQuery,
        response: { 200: z.array(Run), ...errorResponses },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return listRuns(db, authOf(request).workspaceId, { ...rest, status: status ? [status] : undefined });
    },
  );

  r.get(
    '/runs/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "A run's timeline: steps and messages",
        params: IdParams,
        response: { 200: RunTimeline, ...errorResponses },
      },
    },
    async (request) => {
      const timeline = await getRunTimeline(db, authOf(request).workspaceId, request.params.id);
      if (!timeline) throw notFound('Run');
      return timeline;
    },
  );
}
