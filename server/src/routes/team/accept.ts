import { timingSafeEqual } from 'node:crypto';
import {
  ApiErrorBody,
  errorResponses,
  InvitationAcceptBody,
  InvitationLookup,
  InvitationLookupQuery,
  Me,
  NewPassword,
} from '@hourglass/contract';
import {
  addMember,
  appendAudit,
  consumeInvitation,
  createUserUnlessExists,
  type Db,
  findInvitationByToken,
  getLiveSession,
  getUserByEmail,
  getWorkspace,
  type Invitation,
  invitationStatus,
  setInvitationAcceptedBy,
  type User,
} from '@hourglass/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { CSRF_HEADER, ROLE_SCOPES, SESSION_COOKIE, sha256 } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';
import { hashPassword, verifyPassword } from '../../services/passwords';
import { startSession } from '../../services/sessions';
import { DEFAULT_LOGIN_LIMITS, guardLogin, loginFailed, loginSucceeded } from '../auth/login-guard';

const tags = ['members'];
const responses = { ...errorResponses, 410: ApiErrorBody };

const GONE: Record<Exclude<ReturnType<typeof invitationStatus>, 'pending'>, [string, string]> = {
  accepted: ['invitation.used', 'This invitation link was already used'],
  revoked: ['invitation.revoked', 'This invitation was revoked'],
  expired: ['invitation.expired', 'This invitation link has expired: ask for a new one'],
};

/**
 * The pending invitation a token names; 404 `invitation.invalid` or 410 with why it no longer works,
 * naming the token's `field`.
 */
function pendingOnly(found: Invitation | undefined, field = 'body.token'): Invitation {
  if (!found) throw new ApiError(404, 'invitation.invalid', 'This invitation link is not valid', field);
  const status = invitationStatus(found);
  if (status === 'pending') return found;
  const [code, message] = GONE[status];
  throw new ApiError(410, code, message, field);
}

/** Following an invitation link: what it is for, and accepting it (which signs in). */
export async function acceptRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const loginLimits = deps.loginLimits ?? DEFAULT_LOGIN_LIMITS;

  r.get(
    '/invitations/lookup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'What an invitation link is for',
        description:
          'The workspace, email and role of the invitation whose token is given, and whether that email already has an account (accepting then asks for its password). 404 `invitation.invalid` for a token that names no invitation; 410 `invitation.used`, `invitation.revoked` or `invitation.expired` for one that no longer works.',
        querystring: InvitationLookupQuery,
        response: { 200: InvitationLookup, ...responses },
      },
    },
    async (request) => {
      const found = await findInvitationByToken(db, request.query.token);
      const invitation = pendingOnly(found?.invitation, 'querystring.token');
      return {
        workspaceName: found!.workspaceName,
        email: invitation.email,
        role: invitation.role,
        accountExists: !!(await getUserByEmail(db, invitation.email)),
        expiresAt: invitation.expiresAt,
      };
    },
  );

  r.post(
    '/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Accept an invitation (creates the account or checks its password, then signs in)',
        description:
          "Uses the invitation link once. For an email without an account, `name` and `password` (at least 10 characters) create it; for an existing account, its `password` is required (401 `invalid_credentials` if wrong, counted by the sign-in lockout), unless the request carries that same user's session and CSRF token. Adds the membership with the invited role and signs in to that workspace (session cookie and CSRF token, as `POST /v1/auth/login`). 404 `invitation.invalid`; 410 `invitation.used` / `invitation.revoked` / `invitation.expired`; 409 `already_member`.",
        body: InvitationAcceptBody,
        response: { 200: Me, ...responses },
      },
    },
    async (request, reply) => {
      const { token, name, password } = request.body;
      const invitation = pendingOnly((await findInvitationByToken(db, token))?.invitation);
      const existing = await getUserByEmail(db, invitation.email);
      let passwordHash: string | null = null;
      if (existing) {
        if (!(await sameUserSession(db, request, existing.id)))
          await checkPassword(request, reply, existing, password);
      } else {
        if (!name) throw new ApiError(400, 'invalid_request', 'body.name: your name', 'body.name');
        const chosen = NewPassword.safeParse(password);
        if (!chosen.success)
          throw new ApiError(
            400,
            'invalid_request',
            'body.password: at least 10 characters',
            'body.password',
          );
        passwordHash = await hashPassword(chosen.data);
      }
      const user = await db.transaction(async (tx) => {
        // One statement decides first: of two accepts of the same link, exactly one gets the row.
        if (!(await consumeInvitation(tx, invitation.id))) {
          pendingOnly((await findInvitationByToken(tx, token))?.invitation);
          throw new ApiError(410, 'invitation.used', GONE.accepted[1], 'body.token');
        }
        const account =
          existing ??
          (await createUserUnlessExists(tx, {
            email: invitation.email,
            passwordHash: passwordHash!,
            name: name!,
          }));
        if (!account)
          throw new ApiError(
            409,
            'account_exists',
            'An account with this email was just created: accept again with its password',
            'body.password',
          );
        await setInvitationAcceptedBy(tx, invitation.id, account.id);
        if (!(await addMember(tx, invitation.workspaceId, account.id, invitation.role)))
          throw new ApiError(409, 'already_member', 'You are already a member of this workspace');
        await appendAudit(tx, invitation.workspaceId, {
          actor: `user:${account.email}`,
          action: 'invitation.accept',
          target: invitation.id,
          details: { email: account.email, role: invitation.role, newAccount: !existing },
        });
        return account;
      });
      return signIn(db, reply, user, invitation, deps.secureCookies);
    },
  );

  /** The existing account's password, under the sign-in lockout (a link must not open password guessing). */
  async function checkPassword(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    password: string | undefined,
  ) {
    if (!password)
      throw new ApiError(
        400,
        'password_required',
        'This email already has an account: enter its password',
        'body.password',
      );
    const attempt = await guardLogin(db, request, reply, user.email, loginLimits);
    if (!(await verifyPassword(user.passwordHash, password))) {
      await loginFailed(db, request, attempt, user, loginLimits);
      throw new ApiError(401, 'invalid_credentials', 'Wrong password for this account', 'body.password');
    }
    await loginSucceeded(db, attempt);
  }
}

/**
 * Whether the request carries a live session of this user with its CSRF token: a signed-in person
 * accepting an invitation to their own email needs no password. The CSRF check keeps another site
 * from making a signed-in browser accept an invitation.
 */
async function sameUserSession(db: Db, request: FastifyRequest, userId: string): Promise<boolean> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 200) return false;
  const found = await getLiveSession(db, sha256(token));
  const sent = request.headers[CSRF_HEADER];
  if (!found || found.user.id !== userId || typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(found.session.csrfToken)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts a session in the workspace just joined and answers as `GET /v1/me` would there. */
async function signIn(
  db: Db,
  reply: FastifyReply,
  user: User,
  invitation: Invitation,
  secureCookies: boolean | undefined,
): Promise<Me> {
  const workspace = await getWorkspace(db, invitation.workspaceId);
  if (!workspace) throw notFound('Workspace');
  const csrfToken = await startSession(db, reply, user.id, { secureCookies });
  return {
    kind: 'session',
    user: { id: user.id, email: user.email, name: user.name },
    workspace: { id: workspace.id, name: workspace.name, slug: workspace.slug },
    role: invitation.role,
    scopes: ROLE_SCOPES[invitation.role],
    csrfToken,
  };
}
