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
        description: 'Runs of the workspace, newest first, filtered by journey, customer and status.',
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
        description:
          "The run's raw records: every step it took (entered, outcome, branch and why, output) and every message it sent.",
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
        description:
          "The run as support reads it: each step in order with the reason in plain words (why a branch was taken, why a message was skipped or failed), what the run waits for now and until when, in the customer's time zone, and a link to the workflow in Temporal.",
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
      config: { access: 'support' },
      schema: {
        tags,
        summary: 'Cancel a run (signal to the workflow); audit-logged with the reason',
        description:
          'Stops a run in flight: the workflow is told to end, and nothing more is sent. The `reason` is kept in the audit log. A run that already ended answers 409 `run_ended`.',
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
