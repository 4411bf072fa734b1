export {
  type Activities,
  type ActivityDeps,
  createActivities,
  DEFAULT_ENGINE_CONFIG,
  type EngineConfig,
} from './activities/index';
export {
  cancelRun,
  DATE_SWEEP_CATCHUP,
  DATE_SWEEP_EVERY,
  DATE_SWEEP_WORKFLOW,
  dateSweepScheduleId,
  deleteDateSweepSchedule,
  type EntryRule,
  ensureDateSweepSchedule,
  isRepeatingEntry,
  journeyWorkflowId,
  type StartOutcome,
  signalJourneyStatus,
  signalRunEvent,
  startJourneyRun,
  triggerDateSweep,
} from './client';
export { type TemporalConfig, temporalConfigFromEnv } from './config';
export * from './contract';
export { historiesDir, historyFromJSON, historyToJSON, replayGoldenHistories } from './histories';
export { buildWorkflowBundle, connectNative, createWorker, workflowsPath } from './worker';
export type { DateSweepInput, dateSweep } from './workflows/date-sweep';
export type { pingWorkflow, sleepWorkflow } from './workflows/diagnostics';
export type { journeyRun } from './workflows/journey';
export type { RunResult } from './workflows/run-state';
