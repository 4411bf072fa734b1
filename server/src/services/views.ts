import type { Journey, JourneyVersion } from '@hourglass/db';
import type { Graph } from '@hourglass/journey';

// The db package types graph columns as plain JSON until it can import the journey types; everything
// stored there went through the Graph schema (drafts, imports, templates), so the API presents them as Graph.

/** A journey row as the API returns it. */
export const journeyView = (row: Journey) => ({ ...row, draftGraph: row.draftGraph as unknown as Graph });

/** A version row as the API returns it. */
export const versionView = (row: JourneyVersion) => ({ ...row, graph: row.graph as unknown as Graph });
