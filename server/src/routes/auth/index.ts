import {
  ApiKey,
  ApiKeyCreateBody,
  ApiKeyCreated,
  AuditEntry,
  AuditQuery,
  errorResponses,
  IdParams,
  LoginBody,
  Me,
  Ok,
} from '@hourglass/contract';
import {
  appendAudit,
  auditEntryExists,
  createApiKey,
  createSession,
  deleteSession,
  getUserByEmail,
  getWorkspace,
  listApiKeys,
  listAudit,
  listUserWorkspaces,
  revokeApiKey,
} from '@hourglass/db';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import {
  authOf,
  CSRF_COOKIE,
  newApiKey,
  newToken,
  ROLE_SCOPES,
  SESSION_COOKIE,
  sha256,
} from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { DEFAULT_LOGIN_LIMITS, guardLogin, loginFailed, loginSucceeded } from './login-guard';

const SESSION_DAYS = 14;
// Verifying against a real hash when the email is unknown keeps response times alike.
const dummyHash = hash('not-a-real-password-hourglass');

/** Sign-in, the caller's identity, API keys and the audit log. */
export async function accessRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const loginLimits = deps.loginLimits ?? DEFAULT_LOGIN_LIMITS;

  r.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (sets the session cookie)',
        description:
          "Checks an email and password and starts a 14-day session: an httpOnly `hg_session` cookie, and an `hg_csrf` cookie whose value (also returned as `csrfToken`) must come back in the `x-csrf-token` header of every request that changes something. `workspaceId` picks one of the user's workspaces (default: the first). Wrong credentials answer 401 `invalid_credentials`; after 5 failures for one email from one address (20 from one address) sign-in is locked for 15 minutes (429 `login.locked`). Integrations use API keys instead.",
        body: LoginBody,
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { email, password, workspaceId } = request.body;
      const attempt = await guardLogin(db, request, reply, email, loginLimits);
      const user = await getUserByEmail(db, email);
      const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
      if (!user || !ok) {
        await loginFailed(db, request, attempt, user, loginLimits);
        throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
      }
      await loginSucceeded(db, attempt);
      const memberships = await listUserWorkspaces(db, user.id);
      const membership = workspaceId
        ? memberships.find((m) => m.workspace.id === workspaceId)
        : memberships[0];
      if (!membership) throw new ApiError(403, 'no_workspace', 'You are not a member of this workspace');
      const token = newToken();
      const csrfToken = newToken();
      const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
      await createSession(db, { id: sha256(token), userId: user.id, csrfToken, expiresAt });
      const cookieOpts = {
        path: '/',
        sameSite: 'lax' as const,
        secure: deps.secureCookies ?? false,
        expires: expiresAt,
      };
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOpts, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookieOpts, httpOnly: false });
      await appendAudit(db, membership.workspace.id, { actor: `user:${user.email}`, action: 'auth.login' });
      return {
        kind: 'session' as const,
        user: { id: user.id, email: user.email, name: user.name },
        workspace: membership.workspace,
        role: membership.role,
        scopes: ROLE_SCOPES[membership.role],
        csrfToken,
      };
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { access: 'any' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        description:
          'Ends the current session and clears its cookies. With an API key there is no session: nothing changes.',
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      if (auth.sessionId) await deleteSession(db, auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/me',
    {
      config: { access: 'any' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        description:
          'The caller: the user (null for an API key), the workspace every request acts on, the role and the permissions (scopes) it carries, and the CSRF token of a session.',
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const workspace = await getWorkspace(db, auth.workspaceId);
      if (!workspace) throw notFound('Workspace');
      return {
        kind: auth.kind,
        user: auth.user,
        workspace,
        role: auth.role,
        scopes: auth.scopes,
        csrfToken: auth.csrfToken ?? null,
      };
    },
  );

  r.get(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'List API keys',
        description:
          "The workspace's API keys, newest first, with their names, prefixes, scopes, note and last use (`lastUsedAt`, to the minute). Revoked keys stay listed with `revokedAt` set. The secret itself is never shown again after creation.",
        response: { 200: z.array(ApiKey), ...errorResponses },
      },
    },
    async (request) => listApiKeys(db, authOf(request).workspaceId),
  );

  r.post(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Create an API key (the key is shown once)',
        description:
          'Creates a key with the given scopes (`ingest`: send events; `read`; `write`: edit journeys and segments; `support`: cancel and retry runs, resend messages, change consent; `admin`: keys and settings) and an optional `note` saying what it is for. The answer carries the secret (`hg_…`) once; only its hash is stored. Send it as `Authorization: Bearer hg_…`. Audit-logged.',
        body: ApiKeyCreateBody,
        response: { 201: ApiKeyCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { key, prefix, keyHash } = newApiKey();
      const row = await createApiKey(db, auth.workspaceId, {
        name: request.body.name,
        prefix,
        keyHash,
        scopes: request.body.scopes,
        note: request.body.note,
        createdBy: auth.userId,
      });
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'api_key.create',
        target: row.id,
        details: { name: row.name, scopes: row.scopes },
      });
      return reply.status(201).send({ ...row, key });
    },
  );

  r.delete(
    '/api-keys/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Revoke an API key',
        description:
          'Revokes a key of this workspace at once (requests with it answer 401 from then on). Audit-logged; 404 for a key of another workspace.',
        params: IdParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const row = await revokeApiKey(db, auth.workspaceId, request.params.id);
      if (!row) throw notFound('API key');
      app.forgetApiKey(row.keyHash);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'api_key.revoke',
        target: row.id,
      });
      return row;
    },
  );

  r.get(
    '/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Audit log',
        description:
          'Who did what in the workspace, newest first: sign-ins, password changes and resets, keys, members, journey changes and publishes, segment changes, settings, support actions (with the reason given). `actor` matches part of the actor, any case; `action` an action (`api_key.revoke`) or a family (`api_key`). Page with `before`: the id of the last entry received (400 `invalid_cursor` for an id not in this workspace).',
        querystring: AuditQuery,
        response: { 200: z.array(AuditEntry), ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const { before } = request.query;
      if (before && !(await auditEntryExists(db, workspaceId, before))) {
        throw new ApiError(400, 'invalid_cursor', 'No audit entry with this id', 'querystring.before');
      }
      return listAudit(db, workspaceId, request.query);
    },
  );
}
