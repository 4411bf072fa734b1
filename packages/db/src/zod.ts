import { Graph, Plan, Rule } from '@hourglass/journey';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import {
  AttemptError,
  AttemptReason,
  Consent,
  customers,
  journeyRuns,
  journeys,
  journeyVersions,
  messages,
  orders,
  runStepAttempts,
  runSteps,
  segments,
  WaitingFor,
  WorkspaceSettings,
  workspaces,
} from './schema';

// Row schemas derived from the tables (no hand-written twins). jsonb columns with a known shape
// get their zod schema (journey data: @hourglass/journey's); the rest stay generic JSON. Types
// come from $inferSelect in queries/.

const JsonRecord = z.record(z.string(), z.unknown());

/** A workspace row as returned by the API. */
export const WorkspaceRow = createSelectSchema(workspaces, { settings: WorkspaceSettings });
/** A customer row. */
export const CustomerRow = createSelectSchema(customers, { consent: Consent, attributes: JsonRecord });
/** An order row. */
export const OrderRow = createSelectSchema(orders);
/** A segment row. */
export const SegmentRow = createSelectSchema(segments, { rule: Rule });
/** Fields accepted when creating a segment. */
export const SegmentInsert = createInsertSchema(segments, { rule: Rule }).omit({
  id: true,
  workspaceId: true,
  createdAt: true,
  updatedAt: true,
});
/** A journey row. */
export const JourneyRow = createSelectSchema(journeys, { draftGraph: Graph });
/** A published journey version row. */
export const JourneyVersionRow = createSelectSchema(journeyVersions, { graph: Graph, plan: Plan });
/** A journey run row. */
export const RunRow = createSelectSchema(journeyRuns, { waitingFor: WaitingFor.nullable() });
/** A run step row. */
export const RunStepRow = createSelectSchema(runSteps);
/** An action attempt row (retries, deferrals, the final outcome). */
export const RunStepAttemptRow = createSelectSchema(runStepAttempts, {
  error: AttemptError.nullable(),
  reason: AttemptReason.nullable(),
});
/** A message row. */
export const MessageRow = createSelectSchema(messages);
