import { type ChannelsConfig, encryptWorkspaceSecret } from '@hourglass/channels';
import {
  errorResponses,
  Ok,
  SecretCreateBody,
  SecretParams,
  SecretRotateBody,
  WorkspaceSecret,
} from '@hourglass/contract';
import {
  appendAudit,
  createWorkspaceSecret,
  deleteWorkspaceSecret,
  listWorkspaceSecrets,
  rotateWorkspaceSecret,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';

const tags = ['workspace'];

// Values go in encrypted and never come out: answers and audit rows carry names and dates only.
const view = (s: WorkspaceSecret): WorkspaceSecret => ({
  name: s.name,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  rotatedAt: s.rotatedAt,
});

/** Named workspace secrets (webhook signing keys): list, create, rotate, delete. */
export async function secretRoutes(app: FastifyInstance, deps: ApiDeps & { channels: ChannelsConfig }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, channels } = deps;

  r.get(
    '/workspace/secrets',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The workspace's secrets: names and dates, never values",
        description:
          'Secrets nodes refer to by name (the webhook node signs its body with one). Lists each name with when it was created and last rotated; values are write-only and never returned.',
        response: { 200: z.array(WorkspaceSecret), ...errorResponses },
      },
    },
    async (request) => (await listWorkspaceSecrets(db, authOf(request).workspaceId)).map(view),
  );

  r.post(
    '/workspace/secrets',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Store a new secret (owners); the value is never shown again',
        description:
          'Stores a named secret encrypted with the installation key. Name: 1–63 lower-case letters, digits, `-` or `_`, starting with a letter or digit; value: 1–4096 characters. A name already in use is a 409 `secret.exists` (rotate it instead). Audit-logged without the value.',
        body: SecretCreateBody,
        response: { 201: WorkspaceSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { name, value } = request.body;
      const row = await db.transaction(async (tx) => {
        const created = await createWorkspaceSecret(tx, auth.workspaceId, {
          name,
          ciphertext: encryptWorkspaceSecret(channels.secretKey, value),
          createdBy: auth.userId,
        });
        if (!created)
          throw new ApiError(409, 'secret.exists', `A secret named "${name}" already exists`, 'body.name');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.secret.created',
          target: `secret:${name}`,
        });
        return created;
      });
      return reply.status(201).send(view(row));
    },
  );

  r.put(
    '/workspace/secrets/:name',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Rotate a secret's value (owners)",
        description:
          'Replaces the value of an existing secret; steps that run from then on sign with the new one. 404 when the workspace has no secret of that name. Audit-logged without the value.',
        params: SecretParams,
        body: SecretRotateBody,
        response: { 200: WorkspaceSecret, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { name } = request.params;
      return db.transaction(async (tx) => {
        const row = await rotateWorkspaceSecret(
          tx,
          auth.workspaceId,
          name,
          encryptWorkspaceSecret(channels.secretKey, request.body.value),
        );
        if (!row) throw notFound('Secret');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.secret.rotated',
          target: `secret:${name}`,
        });
        return view(row);
      });
    },
  );

  r.delete(
    '/workspace/secrets/:name',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Delete a secret (owners)',
        description:
          'Deletes the secret at once: a step that needs it from then on fails with `webhook.no_secret` (not retried). 404 when the workspace has no secret of that name. Audit-logged.',
        params: SecretParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { name } = request.params;
      await db.transaction(async (tx) => {
        if (!(await deleteWorkspaceSecret(tx, auth.workspaceId, name))) throw notFound('Secret');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'workspace.secret.deleted',
          target: `secret:${name}`,
        });
      });
      return { ok: true as const };
    },
  );
}
