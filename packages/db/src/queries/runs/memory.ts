import type { Json } from '@hourglass/journey';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../client';
import { runMemory } from '../../schema';

/** Largest value a run may remember under one key (bytes of JSON). */
export const MAX_MEMORY_BYTES = 16 * 1024;

/** The value a run remembers under `key`, or undefined. */
export async function recallRunMemory(
  db: Executor,
  workspaceId: string,
  runId: string,
  key: string,
): Promise<Json | undefined> {
  const [row] = await db
    .select({ value: runMemory.value })
    .from(runMemory)
    .where(and(eq(runMemory.workspaceId, workspaceId), eq(runMemory.runId, runId), eq(runMemory.key, key)));
  return row?.value;
}

/**
 * Stores `value` under `key` for the run unless something is there already, and returns what is
 * stored: the first writer wins, so concurrent or repeated attempts all get the same value.
 */
export async function rememberOnce(
  db: Executor,
  workspaceId: string,
  runId: string,
  key: string,
  value: Json,
): Promise<Json> {
  const [made] = await db
    .insert(runMemory)
    .values({ workspaceId, runId, key, value })
    .onConflictDoNothing()
    .returning({ value: runMemory.value });
  if (made) return made.value;
  const kept = await recallRunMemory(db, workspaceId, runId, key);
  if (kept === undefined) throw new Error(`run ${runId} is not in workspace ${workspaceId}`);
  return kept;
}
