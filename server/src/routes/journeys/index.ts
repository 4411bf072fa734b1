import {
  errorResponses,
  IdParams,
  Journey,
  JourneyCreateBody,
  JourneyImportBody,
  JourneyImportQuery,
  JourneyStats,
  JourneySummary,
  JourneyUpdateBody,
  Ok,
  TemplateSummary,
  ValidateBody,
  ValidateResult,
} from '@hourglass/contract';
import {
  appendAudit,
  createJourney,
  deleteDraftJourney,
  getJourney,
  getVersion,
  journeyRunStats,
  listJourneys,
  updateJourneyDraft,
} from '@hourglass/db';
import { exportJourney, hasErrors, importJourney, JourneyFile } from '@hourglass/journey';
import { templates } from '@hourglass/nodes';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { compileForWorkspace, journeyView } from '../../services/journeys';
import { audienceRoutes } from './audience';
import { draftRoutes } from './draft';
import { versionRoutes } from './versions';

const tags = ['journeys'];

/** Journey drafts: CRUD, templates, validation, export / import as JSON. */
export async function journeyRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const load = async (workspaceId: string, id: string) => {
    const journey = await getJourney(db, workspaceId, id);
    if (!journey) throw notFound('Journey');
    return journey;
  };

  r.get(
    '/journeys',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List journeys with run counts',
        description:
          'Every journey of the workspace (no graphs) with its status, live version, and how many runs entered, are active and completed.',
        response: { 200: z.array(JourneySummary.extend({ stats: JourneyStats })), ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const [list, stats] = await Promise.all([
        listJourneys(db, workspaceId),
        journeyRunStats(db, workspaceId),
      ]);
      return list.map((j) => ({ ...j, stats: stats.get(j.id) ?? { entered: 0, active: 0, completed: 0 } }));
    },
  );

  r.get(
    '/journeys/templates',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Journey templates',
        description:
          'The ready-made journeys the product ships (order confirmation, review request, win-back, …). Create a draft from one with `POST /v1/journeys` and `templateKey`.',
        response: { 200: z.array(TemplateSummary), ...errorResponses },
      },
    },
    async () => templates.map(({ id, name, description }) => ({ id, name, description })),
  );

  r.post(
    '/journeys',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Create a draft',
        description:
          'Creates a journey in `draft` status: blank, a copy of a template (`templateKey`), or the `graph` you give (nodes by kind: see JourneyNode). The graph is saved as drawn, even with errors; `POST /v1/journeys/{id}/validate` lists them and `POST /v1/journeys/{id}/publish` makes the draft live. Names are unique per workspace in any case (archived journeys aside): a taken name answers 409 `journey.name_taken`, or with `renameIfTaken` becomes the first free "<name> (2)", "(3)"….',
        body: JourneyCreateBody,
        response: { 201: Journey, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { name, description, graph, templateKey, renameIfTaken } = request.body;
      const template = templateKey ? templates.find((t) => t.id === templateKey) : undefined;
      if (templateKey && !template)
        throw new ApiError(400, 'unknown_template', `No template "${templateKey}"`, 'body.templateKey');
      const journey = await createJourney(db, auth.workspaceId, {
        name,
        description: description ?? template?.description ?? '',
        draftGraph: graph ?? template?.graph ?? { nodes: [], edges: [] },
        templateKey: templateKey ?? null,
        createdBy: auth.userId,
        renameIfTaken: renameIfTaken ?? false,
      });
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.create',
        target: journey.id,
      });
      return reply.status(201).send(await journeyView(db, journey));
    },
  );

  r.get(
    '/journeys/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'A journey with its draft',
        description:
          'The journey and its draft graph (what the canvas shows). The live version may differ (`draftDiffers`; see versions).',
        params: IdParams,
        response: { 200: Journey, ...errorResponses },
      },
    },
    async (request) => journeyView(db, await load(authOf(request).workspaceId, request.params.id)),
  );

  r.patch(
    '/journeys/:id',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Save the draft',
        description:
          'Changes the name, the description or the whole draft graph; fields left out keep their values. Saving never changes the live version or runs in flight: publish does. 409 `journey_archived` for an archived journey; 409 `journey.name_taken` (nothing saved) for a name another journey of the workspace has, in any case.',
        params: IdParams,
        body: JourneyUpdateBody,
        response: { 200: Journey, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      if (journey.status === 'archived')
        throw new ApiError(409, 'journey_archived', 'An archived journey cannot be edited');
      const { name, description, graph } = request.body;
      const updated = await updateJourneyDraft(db, auth.workspaceId, journey.id, {
        name,
        description,
        draftGraph: graph,
      });
      if (!updated) throw notFound('Journey');
      return journeyView(db, updated);
    },
  );

  r.delete(
    '/journeys/:id',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Delete a never-published draft',
        description:
          'Deletes a journey that was never published (409 `journey_published` otherwise: archive it instead).',
        params: IdParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      if (journey.liveVersion !== null)
        throw new ApiError(409, 'journey_published', 'Published journeys are archived, not deleted');
      if (!(await deleteDraftJourney(db, auth.workspaceId, journey.id))) throw notFound('Journey');
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.delete',
        target: journey.id,
      });
      return { ok: true as const };
    },
  );

  r.post(
    '/journeys/:id/validate',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Compile the draft (or a given graph) and return diagnostics',
        description:
          'Compiles the saved draft, or `graph` when given (nothing is saved), and returns the diagnostics: `{nodeId, field, code, message, severity}`. `ok` is false when any is an error; warnings (an unconnected output ends the journey there) do not block publishing. The body may be left out.',
        params: IdParams,
        body: ValidateBody,
        response: { 200: ValidateResult, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      const result = await compileForWorkspace(
        db,
        auth.workspaceId,
        request.body?.graph ?? journey.draftGraph,
      );
      return { ok: result.ok && !hasErrors(result.diagnostics), diagnostics: result.diagnostics };
    },
  );

  r.get(
    '/journeys/:id/export',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Export the draft (or ?version=) as a journey file',
        description:
          'The draft, or a published version, as a portable journey file (format `hourglass.journey`) that `POST /v1/journeys/import` reads back, in this workspace or another.',
        params: IdParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }),
        response: { 200: JourneyFile, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const journey = await load(auth.workspaceId, request.params.id);
      let graph = journey.draftGraph;
      if (request.query.version) {
        const version = await getVersion(db, auth.workspaceId, journey.id, request.query.version);
        if (!version) throw notFound('Version');
        graph = version.graph;
      }
      return JSON.parse(exportJourney({ name: journey.name, description: journey.description, graph }));
    },
  );

  r.post(
    '/journeys/import',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Create a draft from a journey file',
        description:
          'Creates a draft from a journey file made by export. A file that is not one, or comes from a newer format, answers 422 `invalid_journey_file` naming the field at fault. A name another journey of the workspace has answers 409 `journey.name_taken`, or with `?renameIfTaken=true` becomes the first free "<name> (2)", "(3)"….',
        querystring: JourneyImportQuery,
        body: JourneyImportBody,
        response: { 201: Journey, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const imported = importJourney(request.body);
      if (!imported.ok) {
        const first = imported.errors[0];
        throw new ApiError(
          422,
          'invalid_journey_file',
          first?.message ?? 'Invalid journey file',
          first?.path ? `body.${first.path}` : 'body',
          { diagnostics: imported.errors },
        );
      }
      const journey = await createJourney(db, auth.workspaceId, {
        name: imported.journey.name,
        description: imported.journey.description,
        draftGraph: imported.journey.graph,
        createdBy: auth.userId,
        renameIfTaken: request.query.renameIfTaken === 'true',
      });
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'journey.import',
        target: journey.id,
      });
      return reply.status(201).send(await journeyView(db, journey));
    },
  );

  await versionRoutes(app, deps);
  await draftRoutes(app, deps);
  await audienceRoutes(app, deps);
}
