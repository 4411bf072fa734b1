import {
  ActionReasonBody,
  CancelRunResult,
  errorResponses,
  IdParams,
  Run,
  RunListQuery,
  RunTimeline,
  RunTimelineView,
} from '@hourglass/contract';
import { getRunTimeline, listRuns } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { cancelRunAction } from '../../services/support-actions';
import { buildRunTimeline } from '../../services/timeline';

const tags = ['runs'];

/** Journey runs: list, raw records, the plain-words timeline, and cancelling a run. */
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

  r.get(
    '/runs/:id/timeline',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Every step in order with the why in plain words, what the run waits for, Temporal link',
        params: IdParams,
        response: { 200: RunTimelineView, ...errorResponses },
      },
    },
    async (request) => {
      const timeline = await buildRunTimeline(db, authOf(request).workspaceId, request.params.id);
      if (!timeline) throw notFound('Run');
      return timeline;
    },
  );

  r.post(
    '/runs/:id/cancel',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Cancel a run (signal to the workflow); audit-logged with the reason',
        params: IdParams,
        body: ActionReasonBody,
        response: { 200: CancelRunResult, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      return cancelRunAction(db, deps.temporal, request.params.id, {
        workspaceId: auth.workspaceId,
        actor: auth.actor,
        reason: request.body.reason,
      });
    },
  );
}
