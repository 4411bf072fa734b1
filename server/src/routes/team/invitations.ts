import { type ChannelsConfig, sendSystemEmail } from '@hourglass/channels';
import {
  errorResponses,
  IdParams,
  Invitation,
  InvitationCreateBody,
  InvitationCreated,
  Paging,
} from '@hourglass/contract';
import {
  appendAudit,
  createInvitation,
  getWorkspace,
  type Invitation as InvitationRow,
  invitationStatus,
  isMemberByEmail,
  listInvitations,
  type Role,
  revokeInvitation,
} from '@hourglass/db';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';

const tags = ['members'];

/** An invitation as the API lists it: its state, never its token. */
export const invitationView = (row: InvitationRow, invitedBy: string | null): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row),
  invitedBy,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  acceptedAt: row.acceptedAt,
  revokedAt: row.revokedAt,
});

const ROLE_WORDS: Record<Role, string> = {
  owner: 'owner (everything, including the workspace itself)',
  admin: 'admin (settings, channels, secrets, keys and members)',
  editor: 'editor (journeys, segments and templates)',
  support: 'support (reads everything; cancels and retries runs, resends messages)',
  viewer: 'viewer (reads everything)',
};

/** Invitations by email: list, invite (the link is emailed and shown once), revoke. */
export async function invitationRoutes(app: FastifyInstance, deps: ApiDeps & { channels: ChannelsConfig }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, channels } = deps;

  r.get(
    '/invitations',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'List invitations (pending, accepted, revoked, expired)',
        description:
          "The workspace's invitations, newest first, each with its status and who sent it. Links are never shown again after creation.",
        querystring: Paging,
        response: { 200: z.array(Invitation), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listInvitations(db, authOf(request).workspaceId, request.query);
      return rows.map((row) => invitationView(row, row.invitedByEmail));
    },
  );

  r.post(
    '/invitations',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Invite someone by email with a role (the link is shown once)',
        description:
          "Creates a single-use invitation link valid 7 days and emails it through the workspace's email channel (the outbox when none is configured: `delivery.provider` says which). The answer carries the `link` this once, for copying; only a hash of its token is stored. A new invitation to the same address replaces a pending one. Only owners may invite owners (403 `forbidden`); an address that already belongs to a member is a 409 `already_member`; a role outside owner, admin, editor, support, viewer is a 400 naming `body.role`. Audit-logged (without the link).",
        body: InvitationCreateBody,
        response: { 201: InvitationCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const { email, role } = request.body;
      if (role === 'owner' && auth.role !== 'owner')
        throw new ApiError(
          403,
          'forbidden',
          'Only an owner of the workspace can invite an owner',
          'body.role',
        );
      if (await isMemberByEmail(db, auth.workspaceId, email))
        throw new ApiError(
          409,
          'already_member',
          `${email} is already a member of this workspace`,
          'body.email',
        );
      const ws = await getWorkspace(db, auth.workspaceId);
      if (!ws) throw notFound('Workspace');
      const { invitation, token, replaced } = await createInvitation(db, ws.id, {
        email,
        role,
        invitedBy: auth.userId,
      });
      const link = `${channels.publicUrl}/invite/${token}`;
      const inviter = auth.user ? auth.user.name || auth.user.email : 'An administrator';
      const delivery = await emailInvitation(deps, request.log, {
        workspaceId: ws.id,
        to: email,
        subject: `Join ${ws.name} on Hourglass`,
        paragraphs: [
          `${inviter} invited you to ${ws.name} on Hourglass as ${ROLE_WORDS[role]}.`,
          `The link works once, until ${invitation.expiresAt.toUTCString()}. If you did not expect this invitation, ignore this email.`,
        ],
        link,
      });
      await appendAudit(db, ws.id, {
        actor: auth.actor,
        action: 'invitation.create',
        target: invitation.id,
        details: { email, role, replaced, emailProvider: delivery.provider, emailStatus: delivery.status },
      });
      const view = invitationView(invitation, auth.user?.email ?? null);
      return reply.status(201).send({ ...view, link, delivery });
    },
  );

  r.delete(
    '/invitations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Revoke an invitation',
        description:
          'Its link stops working at once (410 `invitation.revoked`). An invitation already accepted cannot be revoked (409 `invitation.used`: remove the member instead). 404 for an invitation of another workspace. Audit-logged.',
        params: IdParams,
        response: { 200: Invitation, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const row = await revokeInvitation(db, auth.workspaceId, request.params.id);
      if (!row) throw notFound('Invitation');
      if (row.acceptedAt)
        throw new ApiError(409, 'invitation.used', 'This invitation was accepted: remove the member instead');
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'invitation.revoke',
        target: row.id,
        details: { email: row.email, role: row.role },
      });
      return invitationView(row, null);
    },
  );
}

/**
 * Emails the link. A failure to send never loses the invitation: the admin still gets the link to
 * share, and `delivery` says the email did not go.
 */
async function emailInvitation(
  deps: ApiDeps & { channels: ChannelsConfig },
  log: FastifyBaseLogger,
  input: { workspaceId: string; to: string; subject: string; paragraphs: string[]; link: string },
): Promise<{ provider: string; status: 'sent' | 'failed' }> {
  try {
    const out = await sendSystemEmail(
      { db: deps.db, config: deps.channels },
      {
        kind: 'invitation',
        workspaceId: input.workspaceId,
        to: input.to,
        subject: input.subject,
        paragraphs: input.paragraphs,
        action: { label: 'Accept the invitation', url: input.link },
      },
    );
    return { provider: out.provider, status: out.status };
  } catch (err) {
    log.warn({ err, workspaceId: input.workspaceId }, 'invitation email not sent');
    return { provider: 'unknown', status: 'failed' };
  }
}
