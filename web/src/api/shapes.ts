// List helpers and shapes the web app reads; route shapes come from the contract.
import {
  JourneyStats,
  JourneySummary,
  MessageLogRow,
  WorkspaceChoice,
  WorkspaceSettingsView,
} from '@hourglass/contract';
import { z } from 'zod';
import { unwrapList } from './client';

/** A list answer parsed item by item (bare array or `{ items }`). */
export const listOf = <S extends z.ZodType>(item: S) =>
  z.unknown().transform((v) => z.array(item).parse(unwrapList(v)));

export { JourneyStats, MessageLogRow, WorkspaceChoice };

/** `GET /v1/journeys` item: the contract summary plus run counters. */
export const JourneyListItem = JourneySummary.extend({ stats: JourneyStats.nullish() });
export type JourneyListItem = z.infer<typeof JourneyListItem>;

/** `GET /v1/workspace/settings`. */
export const WorkspaceSettings = WorkspaceSettingsView;
