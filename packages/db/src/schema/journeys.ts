import type { Graph, Plan, Rule } from '@hourglass/journey';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaceRef } from './access';
import { oneOf, sameWorkspace, timestamps, tstz } from './common';

/** Journey lifecycle. */
export const JOURNEY_STATUSES = ['draft', 'live', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/** A named audience rule ("first purchase over $100"), evaluated against customer data. */
export const segments = pgTable(
  'segments',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    description: text().notNull().default(''),
    rule: jsonb().$type<Rule>().notNull(),
    ...timestamps(),
  },
  (t) => [index('segments_workspace_name_idx').on(t.workspaceId, t.name)],
);

/** The unique index that keeps journey names apart (see `journeys`). */
export const JOURNEY_NAME_KEY = 'journeys_workspace_name_key';

/** A journey as the marketer edits it: the draft graph plus a pointer to the live version. */
export const journeys = pgTable(
  'journeys',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    description: text().notNull().default(''),
    status: text({ enum: JOURNEY_STATUSES }).notNull().default('draft'),
    draftGraph: jsonb().$type<Graph>().notNull().default({ nodes: [], edges: [] }),
    liveVersion: integer(),
    templateKey: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    unique('journeys_workspace_id_id_key').on(t.workspaceId, t.id),
    index('journeys_workspace_status_idx').on(t.workspaceId, t.status),
    index('journeys_workspace_updated_idx').on(t.workspaceId, t.updatedAt),
    // One journey per name in a workspace, whatever the case; an archived journey is retired for good
    // (it cannot be edited or published again), so its name is free for a new one.
    uniqueIndex(JOURNEY_NAME_KEY).on(t.workspaceId, sql`lower(${t.name})`).where(sql`status <> 'archived'`),
    oneOf('journeys', 'status', JOURNEY_STATUSES),
  ],
);

/** A published, immutable snapshot: runs pin one of these, so a republish never changes them. */
export const journeyVersions = pgTable(
  'journey_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    journeyId: uuid().notNull(),
    version: integer().notNull(),
    graph: jsonb().$type<Graph>().notNull(),
    plan: jsonb().$type<Plan>().notNull(),
    planHash: text().notNull(),
    author: text(),
    note: text(),
    publishedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    sameWorkspace(
      'journey_versions_journey_fk',
      [t.workspaceId, t.journeyId],
      [journeys.workspaceId, journeys.id],
    ),
    uniqueIndex('journey_versions_journey_version_key').on(t.journeyId, t.version),
    index('journey_versions_workspace_journey_idx').on(t.workspaceId, t.journeyId, t.version),
    check('journey_versions_version_check', sql`version > 0`),
  ],
);
