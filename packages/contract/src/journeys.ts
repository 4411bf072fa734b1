import { Diagnostic, Graph, Rule } from '@hourglass/journey';
import { z } from 'zod';
import { optionalBody, Timestamp, Uuid } from './common';

/** Journey lifecycle. */
export const JourneyStatus = z.enum(['draft', 'live', 'paused', 'archived']);
export type JourneyStatus = z.infer<typeof JourneyStatus>;

/** A journey with its draft graph. */
export const Journey = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  status: JourneyStatus,
  draftGraph: Graph,
  liveVersion: z.number().int().nullable(),
  draftDiffers: z
    .boolean()
    .describe(
      'Whether the saved draft does something the live version does not (steps, settings, connections; moving steps aside): publish it, or discard it with `POST /v1/journeys/{id}/discard-draft`. False with no live version.',
    ),
  templateKey: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Journey = z.infer<typeof Journey>;

/** A journey in lists (no graph). */
export const JourneySummary = Journey.omit({ draftGraph: true, draftDiffers: true });
export type JourneySummary = z.infer<typeof JourneySummary>;

/** `POST /v1/journeys`: a blank journey, a copy of a template, or a given graph. */
export const JourneyCreateBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  graph: Graph.optional(),
  templateKey: z.string().max(100).optional(),
  renameIfTaken: z
    .boolean()
    .optional()
    .describe(
      'When another journey of the workspace has this name: take the first free "<name> (2)", "(3)"… instead of answering 409',
    ),
});
export type JourneyCreateBody = z.infer<typeof JourneyCreateBody>;

/** `PATCH /v1/journeys/:id` (autosave). */
export const JourneyUpdateBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  graph: Graph.optional(),
});
export type JourneyUpdateBody = z.infer<typeof JourneyUpdateBody>;

/** `POST /v1/journeys/:id/validate`: diagnostics of the draft (or of `graph` when given). */
export const ValidateBody = optionalBody(
  z.object({ graph: Graph.optional().describe('A graph to check instead of the saved draft') }),
);
export const ValidateResult = z.object({ ok: z.boolean(), diagnostics: z.array(Diagnostic) });
export type ValidateResult = z.infer<typeof ValidateResult>;

/** `POST /v1/journeys/:id/publish`. */
export const PublishBody = optionalBody(
  z.object({ note: z.string().max(2000).optional().describe('Why this version, shown in the version list') }),
);

/** `POST /v1/journeys/import`: read by the importer itself, which names the field at fault (422). */
export const JourneyImportBody = z.record(z.string(), z.unknown());

/** `POST /v1/journeys/import?renameIfTaken=true`: number a taken name instead of answering 409. */
export const JourneyImportQuery = z.object({
  renameIfTaken: z
    .enum(['true', 'false'])
    .optional()
    .describe('When the file\'s name is taken in the workspace: take the first free "<name> (2)", "(3)"…'),
});

/** An immutable published version. */
export const JourneyVersion = z.object({
  id: Uuid,
  journeyId: Uuid,
  version: z.number().int(),
  graph: Graph,
  plan: z.record(z.string(), z.unknown()),
  planHash: z.string(),
  author: z.string().nullable(),
  note: z.string().nullable(),
  publishedAt: Timestamp,
});
export type JourneyVersion = z.infer<typeof JourneyVersion>;

/** A version in lists (no graph or plan). */
export const JourneyVersionSummary = JourneyVersion.omit({ graph: true, plan: true });
export type JourneyVersionSummary = z.infer<typeof JourneyVersionSummary>;

/** Result of publishing: the new version and compile warnings. */
export const PublishResult = z.object({
  version: JourneyVersionSummary,
  diagnostics: z.array(Diagnostic),
});
export type PublishResult = z.infer<typeof PublishResult>;

/** `:id/versions/:version` parameters. */
export const VersionParams = z.object({ id: Uuid, version: z.coerce.number().int().min(1).max(1_000_000) });

/** `GET /v1/journeys/:id/diff?from=&to=`. */
export const DiffQuery = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000),
  to: z.coerce.number().int().min(1).max(1_000_000),
});

/** What changed between two versions, node by node. */
export const JourneyDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      change: z.enum(['added', 'removed', 'changed']),
      type: z.string(),
      fields: z.array(z.string()),
    }),
  ),
  edges: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  planChanged: z.boolean(),
});
export type JourneyDiff = z.infer<typeof JourneyDiff>;

/** `POST /v1/journeys/:id/rollback`. */
export const RollbackBody = z.object({
  version: z.number().int().min(1).max(1_000_000),
  note: z.string().max(2000).optional(),
});

/** Result of pause / resume / archive: how many in-flight runs were told. */
export const StatusChangeResult = z.object({
  journey: JourneySummary,
  signalled: z.number().int(),
  failed: z.number().int(),
});

/** A journey template the product ships. */
export const TemplateSummary = z.object({ id: z.string(), name: z.string(), description: z.string() });

/** Rule schema re-exported for clients that edit segments and filters. */
export { Rule };
