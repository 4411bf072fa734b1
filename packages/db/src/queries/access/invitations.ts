import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { invitations, memberships, type Role, users, workspaces } from '../../schema';

/** An invitation row (the token itself is never stored, only its sha256). */
export type Invitation = typeof invitations.$inferSelect;

/** Where an invitation stands. */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

/** sha256 hex of an invitation token: what the table stores and looks up. */
export const invitationTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Where an invitation stands at `now` (accepted and revoked win over expired: they happened first). */
export function invitationStatus(row: Invitation, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

/**
 * Invites `email` with a role: a random 32-byte token (returned once, for the link) of which only the
 * sha256 is stored, valid INVITATION_DAYS. A pending invitation of the same address to the workspace is
 * revoked in the same transaction, so only the newest link works.
 */
export async function createInvitation(
  db: Executor,
  workspaceId: string,
  input: { email: string; role: Role; invitedBy: string | null },
): Promise<{ invitation: Invitation; token: string; replaced: number }> {
  const email = input.email.trim().toLowerCase();
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const replaced = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.email, email), pending()))
      .returning({ id: invitations.id });
    const [row] = await tx
      .insert(invitations)
      .values({
        workspaceId,
        email,
        role: input.role,
        tokenHash: invitationTokenHash(token),
        invitedBy: input.invitedBy,
        expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .returning();
    return { invitation: row!, token, replaced: replaced.length };
  });
}

const pending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

/**
 * The invitation a token names, with its workspace's name, in any state (the caller tells used,
 * revoked and expired links apart). Deliberately not workspace-scoped: the token names the workspace.
 */
export async function findInvitationByToken(
  db: Executor,
  token: string,
): Promise<{ invitation: Invitation; workspaceName: string } | null> {
  const [row] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.tokenHash, invitationTokenHash(token)));
  return row ?? null;
}

/**
 * Uses an invitation up, once: only a pending one (not accepted, not revoked, not expired) changes, in
 * one statement, so of two concurrent accepts of the same link exactly one gets the row (the other
 * waits for its row lock, then finds it accepted). Null otherwise. Run it first in the accepting
 * transaction, before creating anything, and name the account with `setInvitationAcceptedBy`.
 */
export async function consumeInvitation(db: Executor, invitationId: string): Promise<Invitation | null> {
  const [row] = await db
    .update(invitations)
    .set({ acceptedAt: sql`now()` })
    .where(and(eq(invitations.id, invitationId), pending()))
    .returning();
  return row ?? null;
}

/** Records which account accepted an invitation. */
export async function setInvitationAcceptedBy(
  db: Executor,
  invitationId: string,
  userId: string,
): Promise<void> {
  await db.update(invitations).set({ acceptedBy: userId }).where(eq(invitations.id, invitationId));
}

/** Revokes a pending invitation of the workspace; an accepted one is left as it is. Null when not found. */
export async function revokeInvitation(
  db: Executor,
  workspaceId: string,
  invitationId: string,
): Promise<Invitation | null> {
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, now())` })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.id, invitationId),
        isNull(invitations.acceptedAt),
      ),
    )
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, invitationId)));
  return existing ?? null;
}

/** The workspace's invitations, newest first, with the inviter's email. */
export async function listInvitations(
  db: Executor,
  workspaceId: string,
  opts: { limit?: number; offset?: number } = {},
): Promise<(Invitation & { invitedByEmail: string | null })[]> {
  const rows = await db
    .select({ invitation: invitations, invitedByEmail: users.email })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.workspaceId, workspaceId))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(Math.min(opts.limit ?? 50, 500))
    .offset(opts.offset ?? 0);
  return rows.map((r) => ({ ...r.invitation, invitedByEmail: r.invitedByEmail }));
}

/** Whether the person with this email already belongs to the workspace. */
export async function isMemberByEmail(db: Executor, workspaceId: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(users.email, email.trim().toLowerCase())));
  return !!row;
}
