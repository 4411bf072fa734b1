import { createSession, type Db } from '@hourglass/db';
import type { FastifyReply } from 'fastify';
import { CSRF_COOKIE, newToken, SESSION_COOKIE, sha256 } from '../plugins/auth';

/** How long a browser session lasts. */
export const SESSION_DAYS = 14;

/**
 * Starts a session for a user who proved who they are (sign-in, accepted invitation): stores
 * sha256 of a new token, sets the httpOnly session cookie and the readable CSRF cookie, and returns
 * the CSRF token the client sends back in `x-csrf-token`.
 */
export async function startSession(
  db: Db,
  reply: FastifyReply,
  userId: string,
  opts: { secureCookies?: boolean | undefined },
): Promise<string> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await createSession(db, { id: sha256(token), userId, csrfToken, expiresAt });
  const cookieOpts = {
    path: '/',
    sameSite: 'lax' as const,
    secure: opts.secureCookies ?? false,
    expires: expiresAt,
  };
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOpts, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookieOpts, httpOnly: false });
  return csrfToken;
}
