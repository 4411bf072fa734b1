import type { RuleReason } from '@hourglass/journey';
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaceRef } from './access';
import { oneOf, sameWorkspace, tstz } from './common';
import { customers } from './customers';
import { type JourneyStatus, journeys } from './journeys';
import { journeyRuns } from './runs';

/**
 * What routing decided for a customer and a journey whose trigger event they had: `entered`, or why
 * not (`not_live`, the trigger `filter`, `no_order`, the entry conditions `entry_rule`, `entry_segment`,
 * `entry_period`, `already_entered`, `already_running`); and `ignored`: a waiting run was told an
 * event its step does not wait for.
 */
export const ROUTING_OUTCOMES = [
  'entered',
  'not_live',
  'filter',
  'no_order',
  'entry_rule',
  'entry_segment',
  'entry_period',
  'already_entered',
  'already_running',
  'ignored',
] as const;
export type RoutingOutcome = (typeof ROUTING_OUTCOMES)[number];

/** The facts behind a routing decision, as support reads them back. */
export type RoutingDetail = {
  /** `not_live`: the journey's state when the event was routed. */
  journeyStatus?: JourneyStatus;
  /** `filter`: every compared condition (field, operator, expected, actual). */
  reasons?: RuleReason[];
  /** The journey's entry rule and period (`once_per_order`, `at_most_every` every N days). */
  entryRule?: string;
  periodDays?: number;
  /** The run scope: one run per order or per customer. */
  scope?: 'order' | 'customer';
  /** `entry_segment`: the segment the customer was not in. */
  segmentId?: string;
  segmentName?: string | null;
  /** `entry_period`: when the customer last entered. */
  lastEnteredAt?: string;
  /** `ignored`: the step that waited and the events it waits for; `other_order` when only the order differed. */
  stepId?: string;
  waitsFor?: string[];
  ignoredBecause?: 'other_event' | 'other_order';
};

/**
 * Routing decisions per (customer, journey, event), and events a waiting run ignored, for "why not?"
 * on the profile and the run timeline. Bounded: routing keeps each customer's newest rows only (see
 * recordRoutingDecisions), so a busy workspace does not grow it without end.
 */
export const routingDecisions = pgTable(
  'routing_decisions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    workspaceId: workspaceRef(),
    customerId: uuid().notNull(),
    journeyId: uuid().notNull(),
    /** The run that entered, or the run that ignored the event. */
    runId: uuid(),
    eventId: text().notNull(),
    eventType: text().notNull(),
    eventAt: tstz().notNull(),
    outcome: text({ enum: ROUTING_OUTCOMES }).notNull(),
    detail: jsonb().$type<RoutingDetail>().notNull().default({}),
    decidedAt: tstz().notNull().defaultNow(),
  },
  (t) => [
    sameWorkspace(
      'routing_decisions_customer_fk',
      [t.workspaceId, t.customerId],
      [customers.workspaceId, customers.id],
    ),
    sameWorkspace(
      'routing_decisions_journey_fk',
      [t.workspaceId, t.journeyId],
      [journeys.workspaceId, journeys.id],
    ),
    sameWorkspace(
      'routing_decisions_run_fk',
      [t.workspaceId, t.runId],
      [journeyRuns.workspaceId, journeyRuns.id],
    ),
    // One entry decision per journey and event (a retried routing overwrites it); one note per run and event.
    uniqueIndex('routing_decisions_entry_key')
      .on(t.workspaceId, t.customerId, t.journeyId, t.eventId)
      .where(sql`outcome <> 'ignored'`),
    uniqueIndex('routing_decisions_ignored_key')
      .on(t.workspaceId, t.runId, t.eventId)
      .where(sql`outcome = 'ignored'`),
    // The profile reads a customer's newest decisions; the cap trims their oldest.
    index('routing_decisions_workspace_customer_idx').on(t.workspaceId, t.customerId, t.id),
    oneOf('routing_decisions', 'outcome', ROUTING_OUTCOMES),
  ],
);
