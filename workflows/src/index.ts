export {
  type Activities,
  type ActivityDeps,
  createActivities,
  DEFAULT_ENGINE_CONFIG,
  type EngineConfig,
} from './activities/index';
export {
  cancelRun,
  type EntryRule,
  isRepeatingEntry,
  journeyWorkflowId,
  type StartOutcome,
  signalJourneyStatus,
  signalRunEvent,
  startJourneyRun,
} from './client';
export { type TemporalConfig, temporalConfigFromEnv } from './config';
export * from './contract';
export { historiesDir, historyFromJSON, historyToJSON, replayGoldenHistories } from './histories';
export { buildWorkflowBundle, connectNative, createWorker, workflowsPath } from './worker';
export type { pingWorkflow, sleepWorkflow } from './workflows/diagnostics';
export type { journeyRun } from './workflows/journey';
export type { RunResult } from './workflows/run-state';
