import { appendAudit, type Executor, type JsonObject, listUserWorkspaces } from '@hourglass/db';
import type { FastifyReply } from 'fastify';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../plugins/auth';

/**
 * Writes an account event (password changed or reset, signed out everywhere) to the audit log of every
 * workspace the user belongs to: the account is global, and each workspace's admins should see it.
 */
export async function auditForUser(
  db: Executor,
  userId: string,
  entry: { actor: string; action: string; details?: JsonObject },
): Promise<void> {
  for (const { workspace } of await listUserWorkspaces(db, userId)) {
    await appendAudit(db, workspace.id, { ...entry, target: userId });
  }
}

/** Clears the session and CSRF cookies of a browser whose session ended. */
export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
}
