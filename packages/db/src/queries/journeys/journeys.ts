import type { Graph, Plan } from '@hourglass/journey';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import { type JourneyStatus, journeys, journeyVersions } from '../../schema';
import { freeJourneyName, isJourneyNameConflict, JourneyNameTakenError } from './journey-names';

/** A journey row. */
export type Journey = typeof journeys.$inferSelect;
/** A published journey version row. */
export type JourneyVersion = typeof journeyVersions.$inferSelect;

/**
 * Creates a draft journey. A name another journey of the workspace uses (archived ones aside, in any
 * case) throws JourneyNameTakenError, unless `renameIfTaken` asks for the first free "<name> (2)", "(3)"….
 */
export async function createJourney(
  db: Executor,
  workspaceId: string,
  input: {
    name: string;
    description?: string;
    draftGraph?: Graph;
    templateKey?: string | null;
    createdBy?: string | null;
    renameIfTaken?: boolean;
  },
): Promise<Journey> {
  // A concurrent creator can take the free name between the look-up and the insert: look again. Each
  // lost round means another creator got a name, so n creators at once need at most n rounds.
  for (let attempt = 0; attempt < 50; attempt++) {
    const name = input.renameIfTaken ? await freeJourneyName(db, workspaceId, input.name) : input.name;
    const [row] = await db
      .insert(journeys)
      .values({
        workspaceId,
        name,
        description: input.description ?? '',
        draftGraph: input.draftGraph,
        templateKey: input.templateKey ?? null,
        createdBy: input.createdBy ?? null,
      })
      // The only unique key a new row can hit is the name (the id is random): no error, so an
      // enclosing transaction stays usable.
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    if (!input.renameIfTaken) break;
  }
  throw new JourneyNameTakenError(input.name);
}

/** The journey with this id in the workspace, or null. */
export async function getJourney(
  db: Executor,
  workspaceId: string,
  journeyId: string,
): Promise<Journey | null> {
  const [row] = await db
    .select()
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  return row ?? null;
}

/** The workspace's journeys, most recently edited first. */
export async function listJourneys(
  db: Executor,
  workspaceId: string,
  opts: { status?: JourneyStatus } = {},
): Promise<Journey[]> {
  return db
    .select()
    .from(journeys)
    .where(
      and(eq(journeys.workspaceId, workspaceId), opts.status ? eq(journeys.status, opts.status) : undefined),
    )
    .orderBy(desc(journeys.updatedAt));
}

/**
 * Saves draft edits (autosave); returns null if the journey is not in the workspace. A taken name throws
 * JourneyNameTakenError and saves nothing.
 */
export async function updateJourneyDraft(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  patch: { name?: string; description?: string; draftGraph?: Graph },
): Promise<Journey | null> {
  try {
    const [row] = await db
      .update(journeys)
      .set({
        name: patch.name,
        description: patch.description,
        draftGraph: patch.draftGraph,
        updatedAt: new Date(),
      })
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)))
      .returning();
    return row ?? null;
  } catch (err) {
    if (patch.name !== undefined && isJourneyNameConflict(err)) throw new JourneyNameTakenError(patch.name);
    throw err;
  }
}

/** Changes the lifecycle status (pause, resume, archive). */
export async function setJourneyStatus(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  status: JourneyStatus,
): Promise<Journey | null> {
  const [row] = await db
    .update(journeys)
    .set({ status })
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)))
    .returning();
  return row ?? null;
}

/** What publishing stores: the graph as drawn and its compiled plan. */
export type PublishInput = {
  graph: Graph;
  plan: Plan;
  planHash: string;
  author?: string | null;
  note?: string | null;
};

/**
 * Stores the next immutable version and makes it live, atomically. The journey row is locked so
 * concurrent publishes get consecutive numbers instead of colliding.
 */
export async function publishVersion(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  input: PublishInput,
): Promise<JourneyVersion> {
  return db.transaction(async (tx) => {
    const [journey] = await tx
      .select({ id: journeys.id })
      .from(journeys)
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)))
      .for('update');
    if (!journey) throw new Error(`journey ${journeyId} not found in workspace`);
    const [last] = await tx
      .select({ v: sql<number>`coalesce(max(${journeyVersions.version}), 0)::int` })
      .from(journeyVersions)
      .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journeyId)));
    const version = (last?.v ?? 0) + 1;
    const [row] = await tx
      .insert(journeyVersions)
      .values({
        workspaceId,
        journeyId,
        version,
        graph: input.graph,
        plan: input.plan,
        planHash: input.planHash,
        author: input.author ?? null,
        note: input.note ?? null,
      })
      .returning();
    await tx
      .update(journeys)
      .set({ liveVersion: version, status: 'live' })
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
    return row!;
  });
}

/** All versions of a journey, newest first. */
export async function listVersions(
  db: Executor,
  workspaceId: string,
  journeyId: string,
): Promise<JourneyVersion[]> {
  return db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journeyId)))
    .orderBy(desc(journeyVersions.version));
}

/** One version of a journey (runs load the version they pinned), or null. */
export async function getVersion(
  db: Executor,
  workspaceId: string,
  journeyId: string,
  version: number,
): Promise<JourneyVersion | null> {
  const [row] = await db
    .select()
    .from(journeyVersions)
    .where(
      and(
        eq(journeyVersions.workspaceId, workspaceId),
        eq(journeyVersions.journeyId, journeyId),
        eq(journeyVersions.version, version),
      ),
    );
  return row ?? null;
}

/** The version currently live for the journey, or null if never published. */
export async function getLiveVersion(
  db: Executor,
  workspaceId: string,
  journeyId: string,
): Promise<JourneyVersion | null> {
  const [row] = await db
    .select({ version: journeyVersions })
    .from(journeys)
    .innerJoin(
      journeyVersions,
      and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)),
    )
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  return row?.version ?? null;
}

/** Live journeys with their live version, for routing events to triggers. */
export async function listLiveJourneys(
  db: Executor,
  workspaceId: string,
): Promise<{ journey: Journey; version: JourneyVersion }[]> {
  return liveJourneysOf(db, { workspaceId });
}

// Read for every routed event: a prepared statement.
const liveJourneysOf = preparedQuery('live_journeys_of', (db) =>
  db
    .select({ journey: journeys, version: journeyVersions })
    .from(journeys)
    .innerJoin(
      journeyVersions,
      and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)),
    )
    .where(and(eq(journeys.workspaceId, sql.placeholder('workspaceId')), eq(journeys.status, 'live'))),
);
