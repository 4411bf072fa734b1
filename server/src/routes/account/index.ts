import { errorResponses, PasswordChangeBody, SessionsEnded } from '@hourglass/contract';
import { deleteUserSessions, getUserById, retirePasswordResets, setUserPassword } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf, sessionUser } from '../../plugins/auth';
import { ApiError } from '../../plugins/errors';
import { hashPassword, verifyPassword } from '../../services/passwords';
import { DEFAULT_LOGIN_LIMITS, guardLogin, loginSucceeded } from '../auth/login-guard';
import { resetRoutes } from './reset';
import { auditForUser, clearSessionCookies } from './user-audit';

const tags = ['account'];

/** The signed-in person behind a session; an API key has no password and no sessions to end. */

/** The signed-in user's own account: password change, sign out everywhere, forgotten-password reset. */
export async function accountRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const loginLimits = deps.loginLimits ?? DEFAULT_LOGIN_LIMITS;

  r.post(
    '/account/password',
    {
      config: { access: 'any' },
      schema: {
        tags,
        summary: 'Change my password (my other sessions end)',
        description:
          'Checks the current password and sets a new one (at least 10 characters). Every other session of the account ends at once and unused reset links stop working; this session continues. A wrong current password is a 400 `password.wrong` naming `body.currentPassword`, and counts towards the sign-in lockout (429 `login.locked`). Sessions only (403 `session_required` for an API key). Audit-logged in each of the user’s workspaces.',
        body: PasswordChangeBody,
        response: { 200: SessionsEnded, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { userId, sessionId } = sessionUser(auth);
      const user = await getUserById(db, userId);
      if (!user) throw new ApiError(401, 'unauthenticated', 'Sign in again');
      const attempt = await guardLogin(db, request, reply, user.email, loginLimits).catch((e: unknown) => {
        throw e instanceof ApiError && e.statusCode === 429
          ? new ApiError(429, e.code, e.message, 'body.currentPassword')
          : e;
      });
      if (!(await verifyPassword(user.passwordHash, request.body.currentPassword))) {
        await auditForUser(db, userId, { actor: auth.actor, action: 'account.password_change_refused' });
        throw new ApiError(400, 'password.wrong', 'The current password is wrong', 'body.currentPassword');
      }
      await loginSucceeded(db, attempt);
      const passwordHash = await hashPassword(request.body.newPassword);
      const sessionsEnded = await db.transaction(async (tx) => {
        await setUserPassword(tx, userId, passwordHash);
        await retirePasswordResets(tx, userId);
        const ended = await deleteUserSessions(tx, userId, { except: sessionId });
        await auditForUser(tx, userId, {
          actor: auth.actor,
          action: 'account.password_change',
          details: { sessionsEnded: ended },
        });
        return ended;
      });
      return { ok: true as const, sessionsEnded };
    },
  );

  r.post(
    '/auth/logout-everywhere',
    {
      config: { access: 'any' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere (every session of my account ends)',
        description:
          'Ends every session of the signed-in account, this one included, on every device, and clears this browser’s cookies. Sessions only (403 `session_required` for an API key; revoke a key instead). Audit-logged in each of the user’s workspaces.',
        response: { 200: SessionsEnded, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { userId } = sessionUser(auth);
      const sessionsEnded = await db.transaction(async (tx) => {
        const ended = await deleteUserSessions(tx, userId);
        await auditForUser(tx, userId, {
          actor: auth.actor,
          action: 'auth.logout_everywhere',
          details: { sessionsEnded: ended },
        });
        return ended;
      });
      clearSessionCookies(reply);
      return { ok: true as const, sessionsEnded };
    },
  );

  await resetRoutes(app, deps);
}
