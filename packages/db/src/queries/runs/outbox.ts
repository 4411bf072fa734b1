import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type Executor, executePrepared, preparedQuery } from '../../client';
import { eventOutbox, events } from '../../schema';

/** An outbox row. */
export type OutboxRow = typeof eventOutbox.$inferSelect;

/** Options for claimOutboxBatch. */
export type ClaimOptions = {
  /** How long a claimed row stays invisible to other dispatchers (default 60 s). */
  leaseMs?: number;
};

/**
 * Claims up to `limit` due rows across all workspaces (the dispatcher is global). Claiming leases
 * each row by moving next_attempt_at forward, so concurrent dispatchers never get the same row,
 * and a crashed dispatcher's rows come back once the lease expires.
 */
export async function claimOutboxBatch(
  db: Executor,
  limit: number,
  opts: ClaimOptions = {},
): Promise<OutboxRow[]> {
  const leaseSecs = (opts.leaseMs ?? 60_000) / 1000;
  const rows = await claimDue(db, { limit, leaseSecs });
  return rows.sort((a, b) => a.id - b.id);
}

// Polled by every dispatcher round: a prepared statement.
const claimDue = preparedQuery('claim_outbox_due', (db) => {
  // A CTE guarantees the locking subquery runs exactly once per statement.
  const due = db.$with('due').as(
    db
      .select({ id: eventOutbox.id })
      .from(eventOutbox)
      .where(and(isNull(eventOutbox.doneAt), lte(eventOutbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(eventOutbox.nextAttemptAt), asc(eventOutbox.id))
      .limit(sql.placeholder('limit'))
      .for('update', { skipLocked: true }),
  );
  return db
    .with(due)
    .update(eventOutbox)
    .set({
      attempts: sql`${eventOutbox.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${sql.placeholder('leaseSecs')})`,
    })
    .where(inArray(eventOutbox.id, db.select({ id: due.id }).from(due)))
    .returning();
});

/** Marks a claimed row routed and records that on the event: one statement, atomic as a transaction. */
export async function markOutboxDone(db: Executor, workspaceId: string, outboxId: number): Promise<void> {
  await executePrepared(
    db,
    sql`
    with done as (
      update ${eventOutbox} set done_at = now(), last_error = null
      where workspace_id = ${workspaceId} and id = ${outboxId}
      returning event_id
    )
    update ${events} e set routing_state = 'routed', routed_at = now(), routing_error = null
    from done where e.workspace_id = ${workspaceId} and e.id = done.event_id`,
  );
}

/** Options for markOutboxFailed. */
export type FailOptions = {
  /** After this many attempts the event shows routing_state 'failed' (retries continue). */
  failAfter?: number;
  /** Base backoff (default 1 s), doubled per attempt. */
  baseMs?: number;
  /** Backoff ceiling (default 1 h). */
  maxMs?: number;
};

/** Backoff before the next attempt, given the attempts made so far. */
export const outboxBackoffMs = (attempts: number, baseMs = 1_000, maxMs = 3_600_000): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Records a failed routing attempt and schedules the next one with exponential backoff. Retries
 * never stop (an accepted event must not be lost); after `failAfter` attempts the event is
 * flagged 'failed' so operators see it.
 */
export async function markOutboxFailed(
  db: Executor,
  workspaceId: string,
  outboxId: number,
  error: string,
  opts: FailOptions = {},
): Promise<OutboxRow | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(eventOutbox)
      .where(and(eq(eventOutbox.workspaceId, workspaceId), eq(eventOutbox.id, outboxId)))
      .for('update');
    if (!current || current.doneAt) return current ?? null;
    const delayMs = outboxBackoffMs(current.attempts, opts.baseMs, opts.maxMs);
    const [row] = await tx
      .update(eventOutbox)
      .set({ lastError: error, nextAttemptAt: sql`now() + make_interval(secs => ${delayMs / 1000})` })
      .where(eq(eventOutbox.id, outboxId))
      .returning();
    const failed = current.attempts >= (opts.failAfter ?? 10);
    await tx
      .update(events)
      .set({ routingError: error, routingState: failed ? 'failed' : 'pending' })
      .where(and(eq(events.workspaceId, workspaceId), eq(events.id, current.eventId)));
    return row ?? null;
  });
}

/** Pending (not yet routed) outbox rows per workspace, for health checks and tests. */
export async function countPendingOutbox(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(eventOutbox)
    .where(and(eq(eventOutbox.workspaceId, workspaceId), isNull(eventOutbox.doneAt)));
  return row?.n ?? 0;
}
