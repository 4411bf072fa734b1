import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '@hourglass/contract';
import type { Role } from '@hourglass/db';
import {
  type ApiKeyRow,
  type Db,
  findApiKeyByHash,
  getLiveSession,
  listUserWorkspaces,
  touchApiKey,
} from '@hourglass/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from './errors';
import { callerLimiter, type RequestLimits } from './request-limits';

/**
 * What a route requires: nobody ('public'), any signed-in caller ('any'), a scope, or the workspace's
 * owner ('owner': renaming, deleting the workspace; signed-in owners only, never an API key).
 */
export type Access = 'public' | 'any' | Scope | 'owner';

/** The authenticated caller. Every handler scopes its queries by `workspaceId`. */
export interface Auth {
  kind: 'session' | 'api_key';
  workspaceId: string;
  scopes: Scope[];
  role: Role | null;
  userId: string | null;
  user: { id: string; email: string; name: string } | null;
  /** Who to blame in the audit log and version history. */
  actor: string;
  keyId?: string;
  sessionId?: string;
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Session cookie name (httpOnly) and the readable double-submit CSRF cookie. */
export const SESSION_COOKIE = 'hg_session';
export const CSRF_COOKIE = 'hg_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const WORKSPACE_HEADER = 'x-workspace-id';

/** Scopes a role carries when signed in with a session (the roles table in the README). */
export const ROLE_SCOPES: Record<Role, Scope[]> = {
  owner: ['ingest', 'read', 'write', 'support', 'admin'],
  admin: ['ingest', 'read', 'write', 'support', 'admin'],
  editor: ['ingest', 'read', 'write'],
  support: ['read', 'support'],
  viewer: ['read'],
};

/** sha256 hex: API keys and session tokens are stored only as hashes. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A new API key secret and how it is stored. */
export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `hg_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), keyHash: sha256(key) };
}

/** A new random token (sessions, CSRF). */
export const newToken = () => randomBytes(32).toString('base64url');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const KEY_CACHE_MS = 5_000;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Resolves the caller (API key or session cookie) and enforces each route's `config.access`. */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; limits: RequestLimits }) => {
    const { db } = opts;
    // Ingest is the hot path: a short cache keeps one key lookup off every request. Revocation
    // clears the entry in this process; other processes see it within KEY_CACHE_MS.
    const keyCache = new Map<string, { row: ApiKeyRow | null; at: number }>();
    app.decorate('forgetApiKey', (keyHash: string) => keyCache.delete(keyHash));

    async function apiKey(token: string): Promise<ApiKeyRow | null> {
      const hash = sha256(token);
      const hit = keyCache.get(hash);
      if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.row;
      const row = await findApiKeyByHash(db, hash);
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(hash, { row, at: Date.now() });
      if (row) touchApiKey(db, row.workspaceId, row.id).catch(() => {});
      return row;
    }

    async function resolve(request: FastifyRequest): Promise<Auth | null> {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const match = /^Bearer\s+(\S{1,500})$/i.exec(header);
        const row = match ? await apiKey(match[1]!) : null;
        if (!row)
          throw new ApiError(401, 'invalid_api_key', 'The API key is missing, malformed, revoked or unknown');
        return {
          kind: 'api_key',
          workspaceId: row.workspaceId,
          scopes: row.scopes,
          role: null,
          userId: null,
          user: null,
          actor: `api_key:${row.prefix}`,
          keyId: row.id,
        };
      }
      const token = request.cookies[SESSION_COOKIE];
      if (!token || token.length > 200) return null;
      const found = await getLiveSession(db, sha256(token));
      if (!found) return null;
      const memberships = await listUserWorkspaces(db, found.user.id);
      const wanted = request.headers[WORKSPACE_HEADER];
      const membership =
        typeof wanted === 'string' ? memberships.find((m) => m.workspace.id === wanted) : memberships[0];
      if (!membership) throw new ApiError(403, 'no_workspace', 'You are not a member of this workspace');
      return {
        kind: 'session',
        workspaceId: membership.workspace.id,
        scopes: ROLE_SCOPES[membership.role],
        role: membership.role,
        userId: found.user.id,
        user: { id: found.user.id, email: found.user.email, name: found.user.name },
        actor: `user:${found.user.email}`,
        sessionId: found.session.id,
        csrfToken: found.session.csrfToken,
      };
    }

    app.decorateRequest('auth', null);
    const limit = callerLimiter(app, opts.limits);
    app.addHook('onRequest', async (request, reply) => {
      const access = request.routeOptions.config.access ?? 'public';
      // Verify first, limit second, refuse last: the rate-limit bucket is chosen by the credential that
      // verified (none: the client address), and a refused credential still spends its address's budget.
      let refused: unknown = null;
      if (access !== 'public') {
        request.auth = await resolve(request).catch((err: unknown) => {
          refused = err;
          return null;
        });
      }
      await limit(request, reply);
      if (access === 'public') return;
      if (refused) throw refused;
      const auth = request.auth;
      if (!auth) throw new ApiError(401, 'unauthenticated', 'Sign in or send an API key');
      if (auth.kind === 'session' && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !auth.csrfToken || !sameSecret(sent, auth.csrfToken)) {
          throw new ApiError(403, 'csrf_failed', `Send the CSRF token in the ${CSRF_HEADER} header`);
        }
      }
      if (access === 'owner') {
        if (auth.role !== 'owner')
          throw new ApiError(403, 'forbidden', 'Only an owner of the workspace can do this');
      } else if (access !== 'any' && !auth.scopes.includes(access)) {
        throw new ApiError(403, 'forbidden', `This needs the "${access}" permission`);
      }
    });
  },
  { name: 'auth', dependencies: ['errors', '@fastify/rate-limit'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    forgetApiKey: (keyHash: string) => void;
  }
}

/** The caller of a route that declared an access level (never null there). */
export function authOf(request: FastifyRequest): Auth {
  if (!request.auth) throw new ApiError(401, 'unauthenticated', 'Sign in or send an API key');
  return request.auth;
}

/** The signed-in person behind a request; workspaces, memberships and accounts are people's, not API keys'. */
export function sessionUser(auth: Auth): { userId: string; email: string; sessionId: string } {
  if (auth.kind !== 'session' || !auth.user || !auth.sessionId) {
    throw new ApiError(403, 'session_required', 'Only a signed-in person can do this, not an API key');
  }
  return { userId: auth.user.id, email: auth.user.email, sessionId: auth.sessionId };
}
