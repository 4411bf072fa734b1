import { bigserial, date, index, integer, jsonb, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { tstz } from './common';

/**
 * Journey analytics of the runs of one version that started on one UTC day: every figure is a count or
 * a sum over runs grouped by their start, so a range of whole days is the sum of its days' rows. A row
 * is only trusted while no journey_stats_dirty mark names its day (queries/journeys/analytics-rollups).
 */
export const journeyStatsDaily = pgTable(
  'journey_stats_daily',
  {
    workspaceId: workspaceRef(),
    journeyId: uuid().notNull(),
    version: integer().notNull(),
    day: date({ mode: 'string' }).notNull(),
    /** JourneyTotals of queries/journeys/analytics (typed there: the schema does not import queries). */
    totals: jsonb().$type<Record<string, number>>().notNull(),
    /** NodeCounts[] of queries/journeys/analytics. */
    nodes: jsonb().$type<Array<Record<string, unknown>>>().notNull(),
    refreshedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'journey_stats_daily_pkey', columns: [t.workspaceId, t.journeyId, t.version, t.day] }),
  ],
);

/**
 * Days whose figures changed since their journey_stats_daily row was computed. Database triggers add a
 * mark in the same transaction as the change (runs, steps, messages, engagement events, suppressions,
 * discount redemptions), so a committed change is never missed; the refresher deletes exactly the marks
 * it has seen. Append-only on purpose: no unique key, so concurrent writers never wait on each other.
 */
export const journeyStatsDirty = pgTable(
  'journey_stats_dirty',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    workspaceId: uuid().notNull(),
    journeyId: uuid().notNull(),
    version: integer().notNull(),
    day: date({ mode: 'string' }).notNull(),
    markedAt: tstz().notNull().defaultNow(),
  },
  (t) => [index('journey_stats_dirty_key_idx').on(t.workspaceId, t.journeyId, t.day, t.version)],
);
