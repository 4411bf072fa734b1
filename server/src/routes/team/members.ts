import { errorResponses, Member, MemberParams, MemberRoleBody, Ok } from '@hourglass/contract';
import {
  appendAudit,
  changeMemberRole,
  getMember,
  listMembers,
  type MembershipRefusal,
  removeMember,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { type Auth, authOf, sessionUser } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';

const tags = ['members'];

const refused = (reason: MembershipRefusal) =>
  reason === 'last_owner'
    ? new ApiError(409, 'last_owner', 'The workspace needs at least one owner: make someone else owner first')
    : notFound('Member');

// Admins manage members; the owner role (granting it, or changing or removing an owner) is the owners'.
function requireOwnerFor(auth: Auth, why: string, field?: string) {
  if (auth.role !== 'owner')
    throw new ApiError(403, 'forbidden', `Only an owner of the workspace can ${why}`, field);
}

/** The workspace's members: list, change a role, remove, leave. */
export async function memberRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/members',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List the members and their roles',
        description:
          "The people who belong to the workspace, owners first: their email, name, role and when they joined. Roles: owner, admin, editor, support, viewer (see the README's roles table).",
        response: { 200: z.array(Member), ...errorResponses },
      },
    },
    async (request) => listMembers(db, authOf(request).workspaceId),
  );

  r.patch(
    '/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Change a member's role",
        description:
          "Sets a member's role. Only an owner may make someone owner or change an owner's role (403 `forbidden`); the last owner cannot be demoted (409 `last_owner`). The new role applies to the member's very next request. 404 for someone who is not a member of this workspace. Audit-logged.",
        params: MemberParams,
        body: MemberRoleBody,
        response: { 200: Member, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { userId } = request.params;
      const { role } = request.body;
      const target = await getMember(db, auth.workspaceId, userId);
      if (!target) throw notFound('Member');
      if (target.role === 'owner' || role === 'owner')
        requireOwnerFor(auth, 'grant or change the owner role', 'body.role');
      const out = await changeMemberRole(db, auth.workspaceId, userId, role);
      if (!out.ok) throw refused(out.reason);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'member.role',
        target: `user:${userId}`,
        details: { email: out.member.email, from: out.previous, to: role },
      });
      return out.member;
    },
  );

  r.delete(
    '/members/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Remove a member',
        description:
          'Takes a member out of the workspace: from their very next request they get 403 `no_workspace` here (their account, and their other workspaces, stay). Only an owner may remove an owner (403 `forbidden`); the last owner cannot be removed (409 `last_owner`). 404 for someone who is not a member of this workspace. Audit-logged.',
        params: MemberParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { userId } = request.params;
      const target = await getMember(db, auth.workspaceId, userId);
      if (!target) throw notFound('Member');
      if (target.role === 'owner') requireOwnerFor(auth, 'remove an owner');
      const out = await removeMember(db, auth.workspaceId, userId);
      if (!out.ok) throw refused(out.reason);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'member.remove',
        target: `user:${userId}`,
        details: { email: out.member.email, role: out.member.role },
      });
      return { ok: true as const };
    },
  );

  r.post(
    '/members/leave',
    {
      config: { access: 'any' },
      schema: {
        tags,
        summary: 'Leave the workspace',
        description:
          'Ends your own membership of the workspace the request acts on (your account and other workspaces stay). The last owner cannot leave (409 `last_owner`): make someone else owner, or delete the workspace. Sessions only (403 `session_required` for an API key). Audit-logged.',
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { userId } = sessionUser(auth);
      const out = await removeMember(db, auth.workspaceId, userId);
      if (!out.ok) throw refused(out.reason);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'member.leave',
        target: `user:${userId}`,
        details: { email: out.member.email, role: out.member.role },
      });
      return { ok: true as const };
    },
  );
}
