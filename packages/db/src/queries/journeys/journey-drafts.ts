import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../client';
import { journeys } from '../../schema';

/** Deletes a journey that was never published (published ones are archived instead, keeping history). */
export async function deleteDraftJourney(
  db: Executor,
  workspaceId: string,
  journeyId: string,
): Promise<boolean> {
  const rows = await db
    .delete(journeys)
    .where(
      and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId), isNull(journeys.liveVersion)),
    )
    .returning({ id: journeys.id });
  return rows.length > 0;
}
