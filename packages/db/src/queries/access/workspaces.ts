import { eq, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import {
  type WorkspaceSettings,
  WorkspaceSettings as WorkspaceSettingsSchema,
  workspaces,
} from '../../schema';

/** A workspace row. */
export type Workspace = typeof workspaces.$inferSelect;

/** Creates a workspace with default settings merged with `settings`. */
export async function createWorkspace(
  db: Executor,
  input: { name: string; slug: string; settings?: Partial<WorkspaceSettings> },
): Promise<Workspace> {
  const settings = WorkspaceSettingsSchema.parse(input.settings ?? {});
  const [row] = await db
    .insert(workspaces)
    .values({ name: input.name, slug: input.slug, settings })
    .returning();
  return row!;
}

/** The workspace with this id, or null. */
export async function getWorkspace(db: Executor, workspaceId: string): Promise<Workspace | null> {
  const [row] = await workspaceById(db, { workspaceId });
  return row ?? null;
}

// Read by every send: a prepared statement.
const workspaceById = preparedQuery('workspace_by_id', (db) =>
  db
    .select()
    .from(workspaces)
    .where(eq(workspaces.id, sql.placeholder('workspaceId'))),
);

/** Replaces the workspace settings after validating them. */
export async function updateWorkspaceSettings(
  db: Executor,
  workspaceId: string,
  settings: WorkspaceSettings,
): Promise<Workspace | null> {
  const [row] = await db
    .update(workspaces)
    .set({ settings: WorkspaceSettingsSchema.parse(settings) })
    .where(eq(workspaces.id, workspaceId))
    .returning();
  return row ?? null;
}
