import { and, asc, desc, eq, gt, ilike, isNull, like, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import {
  type ApiScope,
  apiKeys,
  auditLog,
  type JsonObject,
  memberships,
  type Role,
  sessions,
  users,
  workspaces,
} from '../../schema';
import type { Workspace } from './workspaces';

/** A user row. */
export type User = typeof users.$inferSelect;
/** An API key row (hash only). */
export type ApiKeyRow = typeof apiKeys.$inferSelect;
/** An audit log row. */
export type AuditRow = typeof auditLog.$inferSelect;

// Users are global (one login, several workspaces); everything below them is workspace-scoped.

/** Creates a user; the email is stored lower-cased. */
export async function createUser(
  db: Executor,
  input: { email: string; passwordHash: string; name?: string },
): Promise<User> {
  const [row] = await db
    .insert(users)
    .values({
      email: input.email.trim().toLowerCase(),
      passwordHash: input.passwordHash,
      name: input.name ?? '',
    })
    .returning();
  return row!;
}

/** The user with this id, or null. */
export async function getUserById(db: Executor, userId: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ?? null;
}

/** Replaces a user's password hash. */
export async function setUserPassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

/** The user with this email (case-insensitive), or null. */
export async function getUserByEmail(db: Executor, email: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

/** Gives a user a role in a workspace (or changes it). */
export async function setMembership(db: Executor, workspaceId: string, userId: string, role: Role) {
  await db
    .insert(memberships)
    .values({ workspaceId, userId, role })
    .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.userId], set: { role } });
}

/** The user's workspaces with their role, oldest membership first. */
export async function listUserWorkspaces(
  db: Executor,
  userId: string,
): Promise<{ workspace: Workspace; role: Role }[]> {
  return db
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id));
}

/** Stores a session; `id` is sha256 of the cookie token. */
export async function createSession(
  db: Executor,
  input: { id: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db.insert(sessions).values(input);
}

/** A live (unexpired) session with its user, or null. */
export async function getLiveSession(
  db: Executor,
  sessionId: string,
): Promise<{ session: typeof sessions.$inferSelect; user: User } | null> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, sql`now()`)));
  return row ?? null;
}

/** Ends a session. */
export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or all but `except` (the one changing the password); how many ended. */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  opts: { except?: string } = {},
): Promise<number> {
  const mine = eq(sessions.userId, userId);
  const rows = await db
    .delete(sessions)
    .where(opts.except ? and(mine, ne(sessions.id, opts.except)) : mine)
    .returning({ id: sessions.id });
  return rows.length;
}

/** Stores a new API key (hash only). */
export async function createApiKey(
  db: Executor,
  workspaceId: string,
  input: {
    name: string;
    prefix: string;
    keyHash: string;
    scopes: ApiScope[];
    note?: string;
    createdBy?: string | null;
  },
): Promise<ApiKeyRow> {
  const [row] = await db
    .insert(apiKeys)
    .values({ workspaceId, ...input, scopes: [...new Set(input.scopes)] })
    .returning();
  return row!;
}

/**
 * Resolves a presented key by its hash. Deliberately not workspace-scoped: the key is what names the
 * workspace. Revoked keys are not returned.
 */
export async function findApiKeyByHash(db: Executor, keyHash: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

/** Records that a key was used (at most once a minute, to keep writes off the hot path). */
export async function touchApiKey(db: Executor, workspaceId: string, keyId: string): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.workspaceId, workspaceId),
        eq(apiKeys.id, keyId),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
}

/** The workspace's API keys, newest first; revoked ones stay listed (with `revokedAt`). */
export async function listApiKeys(db: Executor, workspaceId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes a key; null when it is not in the workspace. Revoking twice keeps the first time. */
export async function revokeApiKey(
  db: Executor,
  workspaceId: string,
  keyId: string,
): Promise<ApiKeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, keyId)))
    .returning();
  return row ?? null;
}

/** Appends an audit entry. */
export async function appendAudit(
  db: Executor,
  workspaceId: string,
  input: {
    actor: string;
    action: string;
    target?: string | null;
    reason?: string | null;
    details?: JsonObject;
  },
): Promise<void> {
  await db.insert(auditLog).values({ workspaceId, ...input, details: input.details ?? {} });
}

/** Audit filters: part of the actor (any case), an action or action family, and a keyset cursor. */
export interface AuditFilter {
  limit?: number;
  /** Only entries after this one in the newest-first order (the id of the previous page's last entry). */
  before?: string;
  actor?: string;
  /** `api_key.revoke` exactly; `api_key` (no dot) also matches `api_key.*`. */
  action?: string;
}

const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Whether an audit entry with this id belongs to the workspace (a cursor the caller may use). */
export async function auditEntryExists(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.id, id)));
  return !!row;
}

/** The workspace's audit log, newest first, filtered and paged by keyset (stable while entries arrive). */
export async function listAudit(
  db: Executor,
  workspaceId: string,
  opts: AuditFilter = {},
): Promise<AuditRow[]> {
  const { actor, action, before } = opts;
  // The cursor row is compared in SQL: its timestamp has microseconds a JS Date would lose.
  const cursor = sql`(select c.at, c.id from ${auditLog} c where c.id = ${before ?? null}::uuid and c.workspace_id = ${workspaceId})`;
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, workspaceId),
        actor ? ilike(auditLog.actor, `%${likeLiteral(actor)}%`) : undefined,
        action
          ? action.includes('.')
            ? eq(auditLog.action, action)
            : or(eq(auditLog.action, action), like(auditLog.action, `${likeLiteral(action)}.%`))
          : undefined,
        before ? sql`(${auditLog.at}, ${auditLog.id}) < ${cursor}` : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(Math.min(opts.limit ?? 50, 500));
}

/** Number of workspaces: zero means a first start. */
export async function countWorkspaces(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(workspaces);
  return row?.n ?? 0;
}
