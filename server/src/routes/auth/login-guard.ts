import {
  appendAudit,
  beginLoginAttempt,
  clearLoginFailures,
  type Db,
  type LoginLimits,
  listUserWorkspaces,
  type User,
} from '@hourglass/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../plugins/errors';

/** 5 failures of one email from one address, or 20 from one address across emails, in 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** What a permitted attempt knows: who tried from where, and the failures counted before it. */
export interface LoginTry {
  email: string;
  address: string;
  accountFailures: number;
  addressFailures: number;
}

/**
 * Refuses a sign-in (429 `login.locked` with Retry-After, even with the right password) while this email
 * from this address, or this address as a whole, is locked; otherwise records the attempt as a failure
 * until `loginSucceeded`. Kept in PostgreSQL, so the lock holds across API processes and restarts.
 */
export async function guardLogin(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  email: string,
  limits: LoginLimits,
): Promise<LoginTry> {
  const address = request.ip;
  const attempt = await beginLoginAttempt(db, { email, address }, limits);
  if (attempt.allowed) return { email, address, ...attempt };
  const seconds = Math.ceil(attempt.retryAfterMs / 1000);
  request.log.warn({ address, scope: attempt.scope }, 'sign-in refused: locked after failed attempts');
  reply.header('retry-after', String(seconds));
  throw new ApiError(
    429,
    'login.locked',
    `Too many failed sign-ins ${attempt.scope === 'account' ? 'for this email' : 'from this address'}; retry in ${seconds} s`,
    attempt.scope === 'account' ? 'email' : undefined,
  );
}

/** The password was right: this email's failures from this address stop counting. */
export async function loginSucceeded(db: Db, attempt: LoginTry): Promise<void> {
  await clearLoginFailures(db, attempt);
}

/**
 * Records a failed sign-in in the audit log of every workspace the account belongs to, plus a
 * `auth.login_locked` entry when this failure starts a lockout. An unknown email has no workspace to
 * log to (and writing it anywhere would tell that workspace's admins about other accounts): it goes to
 * the server log only, without the email, which may be a mistyped password.
 */
export async function loginFailed(
  db: Db,
  request: FastifyRequest,
  attempt: LoginTry,
  user: User | null,
  limits: LoginLimits,
): Promise<void> {
  const accountFailures = attempt.accountFailures + 1;
  const addressFailures = attempt.addressFailures + 1;
  const lockedNow =
    accountFailures === limits.perAccount
      ? 'account'
      : addressFailures === limits.perAddress
        ? 'address'
        : null;
  if (!user) {
    request.log.warn({ address: attempt.address, lockedNow }, 'failed sign-in for an unknown email');
    return;
  }
  const entry = { actor: `address:${attempt.address}`, target: user.id };
  const details = { email: user.email, address: attempt.address, accountFailures, addressFailures };
  for (const { workspace } of await listUserWorkspaces(db, user.id)) {
    await appendAudit(db, workspace.id, { ...entry, action: 'auth.login_failed', details });
    if (lockedNow) {
      await appendAudit(db, workspace.id, {
        ...entry,
        action: 'auth.login_locked',
        details: { ...details, scope: lockedNow, lockMinutes: Math.round(limits.windowMs / 60_000) },
      });
    }
  }
}
