import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { type Executor, preparedQuery } from '../../client';
import {
  type JourneyStatus,
  journeys,
  journeyVersions,
  type RoutingDetail,
  type RoutingOutcome,
  routingDecisions,
} from '../../schema';

// "Why not?": what routing decided for a customer and each journey whose trigger event they had, and
// the events a waiting run was told but ignored. Written once per routed event, read by support.

/** A stored routing decision. */
export type RoutingDecision = typeof routingDecisions.$inferSelect;

/** A decision to store (the row's id and time are the database's). */
export type RoutingDecisionInput = {
  journeyId: string;
  runId?: string | null;
  eventId: string;
  eventType: string;
  eventAt: Date;
  outcome: RoutingOutcome;
  detail?: RoutingDetail;
};

/** Decisions kept per customer: the newest ones, so a busy customer's history stays bounded. */
export const ROUTING_DECISIONS_KEPT = 200;

/**
 * Stores one routed event's decisions for its customer in one transaction, and trims the customer's
 * oldest beyond `keep`. A retried routing of the same event overwrites its entry decisions (the last
 * attempt is the one that counts) and keeps the first note of an ignored event.
 */
export async function recordRoutingDecisions(
  db: Executor,
  workspaceId: string,
  customerId: string,
  rows: RoutingDecisionInput[],
  keep = ROUTING_DECISIONS_KEPT,
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({
    workspaceId,
    customerId,
    journeyId: r.journeyId,
    runId: r.runId ?? null,
    eventId: r.eventId,
    eventType: r.eventType,
    eventAt: r.eventAt,
    outcome: r.outcome,
    detail: r.detail ?? {},
  }));
  const entries = values.filter((v) => v.outcome !== 'ignored');
  const ignored = values.filter((v) => v.outcome === 'ignored');
  const d = routingDecisions;
  await db.transaction(async (tx) => {
    if (entries.length)
      await tx
        .insert(d)
        .values(entries)
        .onConflictDoUpdate({
          target: [d.workspaceId, d.customerId, d.journeyId, d.eventId],
          targetWhere: sql`outcome <> 'ignored'`,
          set: {
            runId: sql`excluded.run_id`,
            outcome: sql`excluded.outcome`,
            detail: sql`excluded.detail`,
            decidedAt: sql`now()`,
          },
        });
    if (ignored.length)
      await tx
        .insert(d)
        .values(ignored)
        .onConflictDoNothing({
          target: [d.workspaceId, d.runId, d.eventId],
          where: sql`outcome = 'ignored'`,
        });
    await trimDecisions(tx, { workspaceId, customerId, offset: keep - 1 });
  });
}

// Every routed event with decisions: a prepared statement, walking the (workspace, customer, id) index.
const trimDecisions = preparedQuery('trim_routing_decisions', (db) =>
  db
    .delete(routingDecisions)
    .where(
      and(
        eq(routingDecisions.workspaceId, sql.placeholder('workspaceId')),
        eq(routingDecisions.customerId, sql.placeholder('customerId')),
        lt(
          routingDecisions.id,
          sql`(select id from routing_decisions where workspace_id = ${sql.placeholder('workspaceId')} and customer_id = ${sql.placeholder('customerId')} order by id desc offset ${sql.placeholder('offset')} limit 1)`,
        ),
      ),
    ),
);

/** A decision with its journey's name, as the profile lists it. */
export type RoutingDecisionWithJourney = RoutingDecision & { journeyName: string };

/** The customer's newest decisions, newest first, with journey names. */
export async function listCustomerDecisions(
  db: Executor,
  workspaceId: string,
  customerId: string,
  opts: { limit?: number } = {},
): Promise<RoutingDecisionWithJourney[]> {
  const rows = await db
    .select({ decision: routingDecisions, journeyName: journeys.name })
    .from(routingDecisions)
    .innerJoin(
      journeys,
      and(
        eq(journeys.workspaceId, routingDecisions.workspaceId),
        eq(journeys.id, routingDecisions.journeyId),
      ),
    )
    .where(and(eq(routingDecisions.workspaceId, workspaceId), eq(routingDecisions.customerId, customerId)))
    .orderBy(desc(routingDecisions.id))
    .limit(Math.min(opts.limit ?? 100, ROUTING_DECISIONS_KEPT));
  return rows.map((r) => ({ ...r.decision, journeyName: r.journeyName }));
}

/** Events a run was told while waiting and ignored, oldest first. */
export async function listRunIgnoredEvents(
  db: Executor,
  workspaceId: string,
  runId: string,
): Promise<RoutingDecision[]> {
  return db
    .select()
    .from(routingDecisions)
    .where(
      and(
        eq(routingDecisions.workspaceId, workspaceId),
        eq(routingDecisions.runId, runId),
        eq(routingDecisions.outcome, 'ignored'),
      ),
    )
    .orderBy(routingDecisions.id);
}

/**
 * A journey that is not live, with the trigger it would have had: its last published version's
 * (paused, archived) or, never published, the draft trigger node's config as saved (null: no trigger).
 */
export type IdleJourneyTrigger = {
  id: string;
  name: string;
  status: JourneyStatus;
  publishedTrigger: unknown;
  draftTrigger: unknown;
};

/** The workspace's journeys that are not live, with their triggers (see IdleJourneyTrigger). */
export async function listIdleJourneyTriggers(
  db: Executor,
  workspaceId: string,
): Promise<IdleJourneyTrigger[]> {
  return idleJourneysOf(db, { workspaceId });
}

// Read for every routed event: a prepared statement that reads only the trigger out of each graph.
const idleJourneysOf = preparedQuery('idle_journey_triggers_of', (db) =>
  db
    .select({
      id: journeys.id,
      name: journeys.name,
      status: journeys.status,
      publishedTrigger: sql<unknown>`${journeyVersions.plan} -> 'trigger'`,
      draftTrigger: sql<unknown>`jsonb_path_query_first(${journeys.draftGraph}, '$.nodes[*] ? (@.type == "trigger").data.config')`,
    })
    .from(journeys)
    .leftJoin(
      journeyVersions,
      and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)),
    )
    .where(and(eq(journeys.workspaceId, sql.placeholder('workspaceId')), ne(journeys.status, 'live'))),
);
