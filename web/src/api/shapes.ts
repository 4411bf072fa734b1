// Shapes the web app expects for routes the contract does not define yet (see the report to the lead).
import { JourneySummary, Role, Timestamp, Uuid } from '@hourglass/contract';
import { z } from 'zod';
import { unwrapList } from './client';

/** A list answer parsed item by item (bare array or `{ items }`). */
export const listOf = <S extends z.ZodType>(item: S) =>
  z.unknown().transform((v) => z.array(item).parse(unwrapList(v)));

/** Run counters per journey (optional on the list answer until the API adds them). */
export const JourneyStats = z.object({
  entered: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
});
export type JourneyStats = z.infer<typeof JourneyStats>;

/** `GET /v1/journeys` item: the contract summary plus optional `stats`. */
export const JourneyListItem = JourneySummary.extend({ stats: JourneyStats.nullish() });
export type JourneyListItem = z.infer<typeof JourneyListItem>;

/** `GET /v1/auth/workspaces` item (assumed). */
export const WorkspaceChoice = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  role: Role.nullish(),
});
export type WorkspaceChoice = z.infer<typeof WorkspaceChoice>;

/** `GET /v1/messages?status=` item (assumed; a subset of RunMessage plus customer). */
export const MessageRow = z.object({
  id: z.string(),
  channel: z.string(),
  toAddress: z.string(),
  subject: z.string().nullish(),
  bodyText: z.string().nullish(),
  status: z.string(),
  createdAt: Timestamp,
});
export type MessageRow = z.infer<typeof MessageRow>;

/** `GET /v1/workspace/settings` (assumed): free-form groups edited on the Settings page. */
export const WorkspaceSettings = z.record(z.string(), z.unknown());
