import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../client';
import { workspaceSecrets } from '../../schema';

// The db package stores ciphertext only: encryption happens in the caller (the installation key
// lives in the channels config), so no query here can ever see or return a plain value.

/** What may be shown of a secret: its name and dates, never the value. */
export interface WorkspaceSecretInfo {
  name: string;
  createdAt: Date;
  updatedAt: Date;
  rotatedAt: Date | null;
  createdBy: string | null;
}

const info = {
  name: workspaceSecrets.name,
  createdAt: workspaceSecrets.createdAt,
  updatedAt: workspaceSecrets.updatedAt,
  rotatedAt: workspaceSecrets.rotatedAt,
  createdBy: workspaceSecrets.createdBy,
};

/** The workspace's secrets by name. */
export async function listWorkspaceSecrets(
  db: Executor,
  workspaceId: string,
): Promise<WorkspaceSecretInfo[]> {
  return db
    .select(info)
    .from(workspaceSecrets)
    .where(eq(workspaceSecrets.workspaceId, workspaceId))
    .orderBy(asc(workspaceSecrets.name));
}

/** Stores a new secret; null when the workspace already has one with this name. */
export async function createWorkspaceSecret(
  db: Executor,
  workspaceId: string,
  input: { name: string; ciphertext: string; createdBy?: string | null },
): Promise<WorkspaceSecretInfo | null> {
  const [row] = await db
    .insert(workspaceSecrets)
    .values({
      workspaceId,
      name: input.name,
      ciphertext: input.ciphertext,
      createdBy: input.createdBy ?? null,
    })
    .onConflictDoNothing({ target: [workspaceSecrets.workspaceId, workspaceSecrets.name] })
    .returning(info);
  return row ?? null;
}

/** Replaces a secret's value; null when it does not exist. */
export async function rotateWorkspaceSecret(
  db: Executor,
  workspaceId: string,
  name: string,
  ciphertext: string,
): Promise<WorkspaceSecretInfo | null> {
  const [row] = await db
    .update(workspaceSecrets)
    .set({ ciphertext, rotatedAt: new Date() })
    .where(and(eq(workspaceSecrets.workspaceId, workspaceId), eq(workspaceSecrets.name, name)))
    .returning(info);
  return row ?? null;
}

/** Deletes a secret; false when it did not exist. */
export async function deleteWorkspaceSecret(
  db: Executor,
  workspaceId: string,
  name: string,
): Promise<boolean> {
  const rows = await db
    .delete(workspaceSecrets)
    .where(and(eq(workspaceSecrets.workspaceId, workspaceId), eq(workspaceSecrets.name, name)))
    .returning({ name: workspaceSecrets.name });
  return rows.length > 0;
}

/** The stored ciphertext of a secret, for the worker to decrypt; null when it does not exist. */
export async function getWorkspaceSecretCiphertext(
  db: Executor,
  workspaceId: string,
  name: string,
): Promise<string | null> {
  const [row] = await db
    .select({ ciphertext: workspaceSecrets.ciphertext })
    .from(workspaceSecrets)
    .where(and(eq(workspaceSecrets.workspaceId, workspaceId), eq(workspaceSecrets.name, name)));
  return row?.ciphertext ?? null;
}
