import {
  DiffQuery,
  errorResponses,
  IdParams,
  JourneyDiff,
  JourneyVersion,
  JourneyVersionSummary,
  PublishBody,
  PublishResult,
  RollbackBody,
  StatusChangeResult,
  VersionParams,
} from '@hourglass/contract';
import {
  appendAudit,
  getJourney,
  getVersion,
  listVersions,
  publishVersion,
  setJourneyStatus,
  updateJourneyDraft,
} from '@hourglass/db';
import { hasErrors } from '@hourglass/journey';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { compileForWorkspace, diffGraphs, signalRunsOfJourney } from '../../services/journeys';

const tags = ['journeys'];

/** Publishing, versions, diff, rollback and the live / paused / archived lifecycle. */
export async function versionRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const load = async (workspaceId: string, id: string) => {
    const journey = await getJourney(db, workspaceId, id);
    if (!journey) throw notFound('Journey');
    return journey;
  };
  const loadVersion = async (workspaceId: string, id: string, version: number) => {
    const row = await getVersion(db, workspaceId, id, version);
    if (!row) throw notFound(`Version ${version}`);
    return row;
  };

  r.post(
    '/journeys/:id/publish',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary:
          'Compile the draft and publish it as a new immutable version (422 with diagnostics on errors)',
        description:
          'Compiles the draft; with no errors, stores it as the next immutable version (graph, plan, hash), makes it live and returns its warnings. Events start runs of the live version from then on; runs in flight keep the version they started on. Errors answer 422 `journey_invalid` with the diagnostics. The body (a `note`) may be left out. 409 `journey_archived` for an archived journey.',
        params: IdParams,
        body: PublishBody,
        response: { 201: PublishResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      if (journey.status === 'archived')
        throw new ApiError(409, 'journey_archived', 'An archived journey cannot be published');
      const result = await compileForWorkspace(db, auth.workspaceId, journey.draftGraph);
      if (!result.ok || hasErrors(result.diagnostics)) {
        throw new ApiError(
          422,
          'journey_invalid',
          'The journey has errors; fix them before publishing',
          undefined,
          { diagnostics: result.diagnostics },
        );
      }
      const version = await publishVersion(db, auth.workspaceId, journey.id, {
        graph: journey.draftGraph,
        plan: result.plan,
        planHash: result.plan.hash,
        author: auth.actor,
        note: request.body?.note ?? null,
      });
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.publish',
        target: journey.id,
        details: { version: version.version },
      });
      return reply.status(201).send({ version, diagnostics: result.diagnostics });
    },
  );

  r.get(
    '/journeys/:id/versions',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Published versions, newest first',
        description:
          'Every published version of the journey (number, hash, author, note, date), newest first.',
        params: IdParams,
        response: { 200: z.array(JourneyVersionSummary), ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      return listVersions(db, auth.workspaceId, journey.id);
    },
  );

  r.get(
    '/journeys/:id/versions/:version',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'One version with graph and plan',
        description:
          'A published version as it was published: its graph and the compiled plan runs of it follow.',
        params: VersionParams,
        response: { 200: JourneyVersion, ...errorResponses },
      },
    },
    async (request) => loadVersion(authOf(request).workspaceId, request.params.id, request.params.version),
  );

  r.get(
    '/journeys/:id/diff',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Node-by-node diff of two versions',
        description:
          'Nodes added, removed or changed (with the changed config fields) and edges added or removed between versions `from` and `to`, and whether the compiled plan differs.',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: JourneyDiff, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const [from, to] = await Promise.all([
        loadVersion(workspaceId, request.params.id, request.query.from),
        loadVersion(workspaceId, request.params.id, request.query.to),
      ]);
      return diffGraphs(
        { version: from.version, graph: from.graph, planHash: from.planHash },
        { version: to.version, graph: to.graph, planHash: to.planHash },
      );
    },
  );

  r.post(
    '/journeys/:id/rollback',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Republish an old version as the newest one',
        description:
          'Publishes the graph and plan of an older version again as a new version (the history is kept) and makes it the draft too. New runs use it; runs in flight keep their version.',
        params: IdParams,
        body: RollbackBody,
        response: { 201: PublishResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      if (journey.status === 'archived')
        throw new ApiError(409, 'journey_archived', 'An archived journey cannot be published');
      const old = await loadVersion(auth.workspaceId, journey.id, request.body.version);
      const version = await publishVersion(db, auth.workspaceId, journey.id, {
        graph: old.graph,
        plan: old.plan,
        planHash: old.planHash,
        author: auth.actor,
        note: request.body.note ?? `Rollback to version ${old.version}`,
      });
      await updateJourneyDraft(db, auth.workspaceId, journey.id, {
        draftGraph: old.graph,
      });
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.rollback',
        target: journey.id,
        details: { from: old.version, version: version.version },
      });
      return reply.status(201).send({ version, diagnostics: [] });
    },
  );

  const transitions = {
    pause: {
      from: ['live'],
      to: 'paused',
      description:
        'Stops starting runs (events that would trigger the journey are ignored meanwhile) and tells the runs in flight, which hold before their next step until resumed. Only a live journey (409 `invalid_transition` otherwise).',
    },
    resume: {
      from: ['paused'],
      to: 'live',
      description:
        'Starts runs again from new events and tells the paused runs in flight to carry on. Only a paused journey (409 `invalid_transition` otherwise).',
    },
    archive: {
      from: ['draft', 'live', 'paused'],
      to: 'archived',
      description:
        'Retires the journey for good: no new runs, the runs in flight are told to end, and the draft can no longer be edited or published. Versions and history stay readable.',
    },
  } as const;
  for (const [action, t] of Object.entries(transitions)) {
    r.post(
      `/journeys/:id/${action}`,
      {
        config: { access: 'write' },
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} the journey and tell its in-flight runs`,
          description: t.description,
          params: IdParams,
          response: { 200: StatusChangeResult, ...errorResponses },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const journey = await load(auth.workspaceId, request.params.id);
        if (!(t.from as readonly string[]).includes(journey.status)) {
          throw new ApiError(
            409,
            'invalid_transition',
            `Cannot ${action} a journey that is ${journey.status}`,
          );
        }
        const updated = await setJourneyStatus(db, auth.workspaceId, journey.id, t.to);
        if (!updated) throw notFound('Journey');
        await appendAudit(db, auth.workspaceId, {
          actor: auth.actor,
          action: `journey.${action}`,
          target: journey.id,
        });
        const counts = await signalRunsOfJourney(db, deps.temporal, updated, t.to, request.log);
        return { journey: updated, ...counts };
      },
    );
  }
}
