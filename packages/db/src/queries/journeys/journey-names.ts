import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { JOURNEY_NAME_KEY, journeys } from '../../schema';

// Journey names are unique per workspace, case-insensitively, among journeys that are not archived
// (the unique index `journeys_workspace_name_key`). These helpers name that conflict and find the
// next free "<name> (2)", "(3)"… for callers that ask for one (a template used twice, a re-import).

/** The name is used by another journey of the workspace that is not archived. */
export class JourneyNameTakenError extends Error {
  constructor(readonly journeyName: string) {
    super(`A journey named "${journeyName}" already exists in this workspace`);
    this.name = 'JourneyNameTakenError';
  }
}

/** Whether a failed statement broke the journey-name uniqueness (pg's error, maybe wrapped by drizzle). */
export function isJourneyNameConflict(err: unknown): boolean {
  let e = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const pgErr = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (pgErr.code === '23505' && pgErr.constraint === JOURNEY_NAME_KEY) return true;
    e = pgErr.cause;
  }
  return false;
}

const NAME_MAX = 200;
const SUFFIX = / \((\d+)\)$/;

/** `name` numbered `n` ("Win-back (2)"), shortened so it stays within the API's 200 characters. */
export function numberedName(name: string, n: number): string {
  const suffix = ` (${n})`;
  return `${name.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

/**
 * `wanted` if no journey of the workspace (archived ones aside) uses it in any case, else the first free
 * "<base> (n)" from 2 up, where base is `wanted` without a number it already ends with.
 */
export async function freeJourneyName(db: Executor, workspaceId: string, wanted: string): Promise<string> {
  const base = wanted.replace(SUFFIX, '') || wanted;
  const rows = await db
    .select({ name: sql<string>`lower(${journeys.name})` })
    .from(journeys)
    .where(
      and(
        eq(journeys.workspaceId, workspaceId),
        ne(journeys.status, 'archived'),
        sql`starts_with(lower(${journeys.name}), lower(${base}))`,
      ),
    );
  const taken = new Set(rows.map((r) => r.name));
  if (!taken.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) {
    const candidate = numberedName(base, n);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
