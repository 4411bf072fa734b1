import { type ChannelsConfig, channelsConfigFromEnv, sendSystemEmail } from '@hourglass/channels';
import {
  ApiErrorBody,
  errorResponses,
  ForgotPasswordAccepted,
  ForgotPasswordBody,
  ResetLookup,
  ResetLookupQuery,
  ResetPasswordBody,
  SessionsEnded,
} from '@hourglass/contract';
import {
  beginLoginAttempt,
  claimPasswordReset,
  countRecentPasswordResets,
  createPasswordReset,
  type Db,
  deleteUserSessions,
  getUserByEmail,
  getUserById,
  type LoginLimits,
  listUserWorkspaces,
  passwordResetState,
  retirePasswordResets,
  setUserPassword,
} from '@hourglass/db';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { newToken, sha256 } from '../../plugins/auth';
import { ApiError } from '../../plugins/errors';
import { hashPassword } from '../../services/passwords';
import { auditForUser } from './user-audit';

const RESET_TTL_MS = 60 * 60_000;
/** Reset requests per email from one address, and per address, in 15 minutes (kept in PostgreSQL). */
const FORGOT_LIMITS: LoginLimits = { perAccount: 3, perAddress: 20, windowMs: 15 * 60_000 };
/** Reset emails one account receives in an hour, from any number of addresses; more are not sent. */
const RESETS_PER_ACCOUNT_HOUR = 5;

const RESET_ERRORS = {
  invalid: new ApiError(400, 'reset.invalid', 'This reset link is not valid', 'body.token'),
  expired: new ApiError(410, 'reset.expired', 'This reset link has expired; ask for a new one', 'body.token'),
  used: new ApiError(410, 'reset.used', 'This reset link was already used; ask for a new one', 'body.token'),
} as const;

/** Forgotten password: `POST /auth/forgot` emails a single-use link, `POST /auth/reset` uses it. */
export async function resetRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const channels = deps.channels ?? channelsConfigFromEnv();
  // Emails leave after the answer, so its timing says nothing about the account; closing waits for them.
  const pending = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });

  r.post(
    '/auth/forgot',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Forgot my password (emails a reset link)',
        description:
          'Always answers 202, whether or not an account has this email, and sends the email after answering. When the account exists it receives a link (`<public URL>/reset/<token>`) that works once, for one hour, through the email channel of one of its workspaces (the outbox when none is configured); at most 5 such emails an hour. 3 requests for one email from one address, or 20 from one address, in 15 minutes: 429 `forgot.limited` with Retry-After.',
        body: ForgotPasswordBody,
        response: { 202: ForgotPasswordAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      // The login lockout's counter, in its own namespace: asking for links never locks sign-in.
      const attempt = await beginLoginAttempt(
        db,
        { email: `forgot:${email}`, address: `forgot:${request.ip}` },
        FORGOT_LIMITS,
      );
      if (!attempt.allowed) {
        const seconds = Math.ceil(attempt.retryAfterMs / 1000);
        reply.header('retry-after', String(seconds));
        throw new ApiError(
          429,
          'forgot.limited',
          `Too many reset requests; retry in ${seconds} s`,
          attempt.scope === 'account' ? 'body.email' : undefined,
        );
      }
      const work = sendResetLink(db, channels, email, request.ip, request.log).catch((err: unknown) =>
        request.log.error({ err }, 'password reset email failed'),
      );
      pending.add(work);
      void work.finally(() => pending.delete(work));
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.get(
    '/auth/reset/lookup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Check a reset link before choosing a password',
        description:
          'Answers 200 when the link can still set a password, so the page can say at once when it cannot: 400 `reset.invalid` (forged or unknown), 410 `reset.expired`, 410 `reset.used`, each naming `querystring.token`. Says nothing about the account.',
        querystring: ResetLookupQuery,
        response: { 200: ResetLookup, ...errorResponses, 410: ApiErrorBody },
      },
    },
    async (request) => {
      const state = await passwordResetState(db, sha256(request.query.token));
      if (state !== 'usable') {
        const e = RESET_ERRORS[state];
        throw new ApiError(e.statusCode, e.code, e.message, 'querystring.token');
      }
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/reset',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with an emailed reset link',
        description:
          'Sets the password (at least 10 characters) of the account the link was sent to, and ends every session of that account: sign in again with the new password. A link works once: a forged or unknown token is a 400 `reset.invalid`, an expired one 410 `reset.expired`, one already used (or older than a later password change) 410 `reset.used`, each naming `body.token`.',
        body: ResetPasswordBody,
        response: { 200: SessionsEnded, ...errorResponses, 410: ApiErrorBody },
      },
    },
    async (request) => {
      const tokenHash = sha256(request.body.token);
      const state = await passwordResetState(db, tokenHash);
      if (state !== 'usable') throw RESET_ERRORS[state];
      // Hashed before the claim, so the claim, the new password and the ended sessions commit together.
      const passwordHash = await hashPassword(request.body.password);
      return db.transaction(async (tx) => {
        const reset = await claimPasswordReset(tx, tokenHash);
        // Another request used (or the clock expired) the link since it was checked.
        if (!reset)
          throw RESET_ERRORS[(await passwordResetState(tx, tokenHash)) === 'expired' ? 'expired' : 'used'];
        const user = await getUserById(tx, reset.userId);
        if (!user) throw RESET_ERRORS.invalid;
        await setUserPassword(tx, user.id, passwordHash);
        await retirePasswordResets(tx, user.id);
        const sessionsEnded = await deleteUserSessions(tx, user.id);
        await auditForUser(tx, user.id, {
          actor: `user:${user.email}`,
          action: 'account.password_reset',
          details: { via: 'reset_link', address: request.ip, sessionsEnded },
        });
        return { ok: true as const, sessionsEnded };
      });
    },
  );
}

/** Creates a reset for the account with this email, if any, and emails its link. */
async function sendResetLink(
  db: Db,
  channels: ChannelsConfig,
  email: string,
  address: string,
  log: FastifyBaseLogger,
): Promise<void> {
  const user = await getUserByEmail(db, email);
  if (!user) return;
  if ((await countRecentPasswordResets(db, user.id, 60 * 60_000)) >= RESETS_PER_ACCOUNT_HOUR) {
    log.warn({ userId: user.id }, 'password reset not sent: hourly cap for the account reached');
    return;
  }
  const token = newToken();
  await createPasswordReset(db, {
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + RESET_TTL_MS),
  });
  const [first] = await listUserWorkspaces(db, user.id);
  const sent = await sendSystemEmail(
    { db, config: channels },
    {
      kind: 'password_reset',
      to: user.email,
      subject: 'Reset your Hourglass password',
      paragraphs: [
        `Someone asked to reset the password of the Hourglass account ${user.email}.`,
        'The link below works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is.',
      ],
      action: { label: 'Choose a new password', url: `${channels.publicUrl}/reset/${token}` },
      workspaceId: first?.workspace.id ?? null,
    },
  );
  // No email provider anywhere (a development install): the server log is the only way to the link.
  if (sent.provider === 'outbox' && process.env.NODE_ENV !== 'production')
    log.info(
      { to: user.email, link: `${channels.publicUrl}/reset/${token}` },
      'password reset link (outbox, no email provider)',
    );
  await auditForUser(db, user.id, {
    actor: `address:${address}`,
    action: 'account.password_reset_requested',
    details: { email: user.email, provider: sent.provider, delivery: sent.status },
  });
}
