import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import {
  memberships,
  ROLES,
  type Role,
  users,
  type WorkspaceSettings,
  WorkspaceSettings as WorkspaceSettingsSchema,
  workspaces,
} from '../../schema';
import type { Workspace } from './workspaces';

/** A member of a workspace as the team page lists them. */
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
}

/** Why a membership change was refused: no such member, or it would leave the workspace without an owner. */
export type MembershipRefusal = 'not_found' | 'last_owner';

/** A URL-safe slug of a name ("Acme Shoes!" → "acme-shoes"); never empty. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'workspace';
}

/**
 * Creates a workspace and makes `ownerId` its owner, in one transaction. The slug comes from the name;
 * when it is taken (or taken at the same moment by another request) a random suffix makes it unique.
 */
export async function createWorkspaceWithOwner(
  db: Executor,
  input: { name: string; ownerId: string; settings?: Partial<WorkspaceSettings> },
): Promise<Workspace> {
  const settings = WorkspaceSettingsSchema.parse(input.settings ?? {});
  const base = slugify(input.name);
  return db.transaction(async (tx) => {
    for (let attempt = 0; ; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      const [row] = await tx
        .insert(workspaces)
        .values({ name: input.name, slug, settings })
        .onConflictDoNothing({ target: workspaces.slug })
        .returning();
      if (row) {
        await tx.insert(memberships).values({ workspaceId: row.id, userId: input.ownerId, role: 'owner' });
        return row;
      }
      if (attempt >= 5) throw new Error(`no free slug for "${base}"`);
    }
  });
}

/** Renames a workspace (the slug stays: links and scripts may use it); null when it does not exist. */
export async function renameWorkspace(
  db: Executor,
  workspaceId: string,
  name: string,
): Promise<Workspace | null> {
  const [row] = await db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId)).returning();
  return row ?? null;
}

/**
 * Deletes a workspace and, through the foreign keys (all `on delete cascade`), every row of its data:
 * customers, orders, events, journeys and their versions, runs and steps, messages, segments, keys,
 * secrets, channel settings, invitations, memberships and its audit log. Users stay (they may belong
 * to other workspaces). False when there was no such workspace.
 */
export async function deleteWorkspace(db: Executor, workspaceId: string): Promise<boolean> {
  const rows = await db
    .delete(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .returning({ id: workspaces.id });
  return rows.length > 0;
}

const memberColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};

// Most powerful role first, then by who joined first.
const roleRank = sql`array_position(array[${sql.raw(ROLES.map((r) => `'${r}'`).join(', '))}]::text[], ${memberships.role})`;

/** The workspace's members, owners first, then by role and by who joined first. */
export async function listMembers(db: Executor, workspaceId: string): Promise<Member[]> {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(roleRank, asc(memberships.createdAt), asc(users.id));
}

/** One member of the workspace, or null. */
export async function getMember(db: Executor, workspaceId: string, userId: string): Promise<Member | null> {
  const [row] = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

/**
 * Locks the workspace's owner memberships (in id order, so two changes cannot deadlock) and returns
 * their user ids. Every change that can take the owner role away goes through here first, so two
 * owners demoting each other at the same moment are serialised: under READ COMMITTED the second waits,
 * then re-reads the rows and no longer counts the one the first demoted.
 */
async function lockOwners(tx: Executor, workspaceId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')))
    .orderBy(asc(memberships.id))
    .for('update');
  return rows.map((r) => r.userId);
}

/**
 * Changes a member's role. Refused with `last_owner` when it would demote the workspace's only owner.
 * Whether the caller may make this change (only owners touch the owner role) is the caller's check.
 */
export async function changeMemberRole(
  db: Executor,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<{ ok: true; member: Member; previous: Role } | { ok: false; reason: MembershipRefusal }> {
  return db.transaction(async (tx) => {
    const owners = await lockOwners(tx, workspaceId);
    const current = await getMember(tx, workspaceId, userId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.role === 'owner' && role !== 'owner' && owners.length <= 1)
      return { ok: false, reason: 'last_owner' };
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    return { ok: true, member: { ...current, role }, previous: current.role };
  });
}

/**
 * Removes a member (or lets one leave). Their sessions lose the workspace at once: the membership is
 * read on every request. Refused with `last_owner` for the workspace's only owner.
 */
export async function removeMember(
  db: Executor,
  workspaceId: string,
  userId: string,
): Promise<{ ok: true; member: Member } | { ok: false; reason: MembershipRefusal }> {
  return db.transaction(async (tx) => {
    const owners = await lockOwners(tx, workspaceId);
    const current = await getMember(tx, workspaceId, userId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.role === 'owner' && owners.length <= 1) return { ok: false, reason: 'last_owner' };
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    return { ok: true, member: current };
  });
}

/** Adds a membership; false (and nothing changed) when the user already is a member. */
export async function addMember(
  db: Executor,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const rows = await db
    .insert(memberships)
    .values({ workspaceId, userId, role })
    .onConflictDoNothing({ target: [memberships.workspaceId, memberships.userId] })
    .returning({ id: memberships.id });
  return rows.length > 0;
}

/** Creates a user unless the email already has an account (then null, nothing changed). */
export async function createUserUnlessExists(
  db: Executor,
  input: { email: string; passwordHash: string; name: string },
): Promise<typeof users.$inferSelect | null> {
  const [row] = await db
    .insert(users)
    .values({ email: input.email.trim().toLowerCase(), passwordHash: input.passwordHash, name: input.name })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}
