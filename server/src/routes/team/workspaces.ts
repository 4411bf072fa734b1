import {
  ApiErrorBody,
  errorResponses,
  Workspace,
  WorkspaceCreateBody,
  WorkspaceDeleteBody,
  WorkspaceDeleted,
  WorkspaceRenameBody,
} from '@hourglass/contract';
import {
  appendAudit,
  createWorkspaceWithOwner,
  getWorkspace,
  listApiKeys,
  type Role,
  renameWorkspace,
  type Workspace as WorkspaceRow,
  WorkspaceSettings,
} from '@hourglass/db';
import { ensureDateSweepSchedule } from '@hourglass/workflows/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf, sessionUser } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { deleteWorkspaceCleanly } from '../../services/workspace-delete';

const tags = ['workspace'];

/** A workspace as the API shows it, with the caller's role. */
export function workspaceView(w: WorkspaceRow, role: Role | null): Workspace {
  const settings = WorkspaceSettings.parse(w.settings ?? {});
  return {
    id: w.id,
    name: w.name,
    slug: w.slug,
    role,
    timezone: settings.timezone ?? 'UTC',
    brandName: settings.brand.name || w.name,
    createdAt: w.createdAt,
  };
}

/** Creating, renaming and deleting workspaces. */
export async function workspaceAdminRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.post(
    '/workspaces',
    {
      config: { access: 'any' },
      schema: {
        tags,
        summary: 'Create a workspace (you become its owner)',
        description:
          'Creates a workspace for another brand: its name, time zone (IANA, default UTC) and brand name (default: the name). The signed-in user who creates it becomes its owner; switch to it with the `x-workspace-id` header (it is listed by `GET /v1/workspaces`). Sessions only (403 `session_required` for an API key). Audit-logged in the new workspace.',
        body: WorkspaceCreateBody,
        response: { 201: Workspace, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { userId } = sessionUser(auth);
      const { name, timezone, brandName } = request.body;
      const settings = WorkspaceSettings.parse({
        brand: { name: brandName || name },
        ...(timezone ? { timezone } : {}),
      });
      const ws = await createWorkspaceWithOwner(db, { name, ownerId: userId, settings });
      await appendAudit(db, ws.id, {
        actor: auth.actor,
        action: 'workspace.create',
        target: `workspace:${ws.id}`,
        details: { name: ws.name, slug: ws.slug, timezone: settings.timezone ?? 'UTC' },
      });
      // Date journeys need the workspace's schedule; the API start syncs it again if Temporal is away now.
      if (deps.temporal) {
        const { client, taskQueue } = deps.temporal;
        await ensureDateSweepSchedule(client, { workspaceId: ws.id, taskQueue }).catch((err: unknown) =>
          request.log.warn({ err, workspaceId: ws.id }, 'date schedule not created yet'),
        );
      }
      return reply.status(201).send(workspaceView(ws, 'owner'));
    },
  );

  r.patch(
    '/workspace',
    {
      config: { access: 'owner' },
      schema: {
        tags,
        summary: 'Rename the workspace (owners)',
        description:
          'Changes the name of the workspace the request acts on; its slug and id stay. Owners only, signed in (403 `forbidden` otherwise). Audit-logged.',
        body: WorkspaceRenameBody,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const before = await getWorkspace(db, auth.workspaceId);
      const ws = await renameWorkspace(db, auth.workspaceId, request.body.name);
      if (!before || !ws) throw notFound('Workspace');
      await appendAudit(db, ws.id, {
        actor: auth.actor,
        action: 'workspace.rename',
        target: `workspace:${ws.id}`,
        details: { from: before.name, to: ws.name },
      });
      return workspaceView(ws, auth.role);
    },
  );

  r.delete(
    '/workspace',
    {
      config: { access: 'owner' },
      schema: {
        tags,
        summary: 'Delete the workspace and all its data (owners)',
        description:
          "Deletes the workspace the request acts on, for good: customers, orders, events, journeys, runs, messages, segments, keys, secrets, members, invitations and its audit log. `confirm` must be the workspace's exact name (400 `confirm_mismatch` otherwise). First its journeys are archived and their runs in flight told to end, as archiving does; runs still open after 10 s are terminated. 503 `unavailable` (and nothing deleted) when Temporal cannot be reached. Other workspaces, and the members' accounts, stay. Owners only, signed in. Written to the server log (the workspace's own audit log goes with it).",
        body: WorkspaceDeleteBody,
        response: { 200: WorkspaceDeleted, ...errorResponses, 503: ApiErrorBody },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const ws = await getWorkspace(db, auth.workspaceId);
      if (!ws) throw notFound('Workspace');
      if (request.body.confirm !== ws.name)
        throw new ApiError(
          400,
          'confirm_mismatch',
          "Type the workspace's exact name to confirm",
          'body.confirm',
        );
      const keys = await listApiKeys(db, ws.id);
      const stop = await deleteWorkspaceCleanly({ db, temporal: deps.temporal, log: request.log }, ws.id);
      // Its keys stop at once in this process too (other processes: within the key cache's seconds).
      for (const key of keys) app.forgetApiKey(key.keyHash);
      request.log.info(
        { actor: auth.actor, workspaceId: ws.id, name: ws.name, ...stop },
        'audit: workspace.delete',
      );
      return { ok: true as const, ...stop };
    },
  );
}
