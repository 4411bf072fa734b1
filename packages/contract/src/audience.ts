import { Graph } from '@hourglass/journey';
import { z } from 'zod';
import { optionalBody } from './common';

/** `POST /v1/journeys/:id/audience-estimate`: the saved draft's audience, or `graph`'s when given. */
export const AudienceEstimateBody = optionalBody(
  z.object({ graph: Graph.optional().describe('A graph to estimate instead of the saved draft') }),
);

/**
 * Who a journey's trigger and entry rules would let in today, counted now. For an event trigger: the
 * customers who had the trigger event in the last `windowDays` days (`hadEvent`), those whose latest such
 * event passes the trigger's filter (`passedFilter`), and of those the ones who are in the entry segment
 * and match the entry conditions now (`matching`). For a date trigger: the customers in the entry
 * segment now (each enters on their own date).
 */
export const AudienceEstimate = z.object({
  trigger: z.enum(['event', 'date']),
  eventType: z.string().nullable().describe('The trigger event (null for a date trigger)'),
  windowDays: z.number().int().describe('How far back trigger events count'),
  hadEvent: z
    .number()
    .int()
    .nullable()
    .describe('Customers with the trigger event in the window (null for a date trigger)'),
  passedFilter: z
    .number()
    .int()
    .nullable()
    .describe("Of them, those whose latest such event passes the trigger's filter (null: no filter)"),
  entrySegment: z
    .object({ id: z.string(), name: z.string() })
    .nullable()
    .describe('The entry segment (null: none)'),
  entryConditions: z
    .boolean()
    .describe('Whether the entry also asks for conditions ("Only customers matching")'),
  matching: z.number().int().describe('The estimate: customers who would be let in today'),
  sampled: z
    .number()
    .int()
    .nullable()
    .describe(
      'When set, the filter was checked on this many customers taken at random and the counts after it are scaled up from them',
    ),
});
export type AudienceEstimate = z.infer<typeof AudienceEstimate>;
