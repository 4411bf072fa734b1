export {
  type Activities,
  type ActivityDeps,
  createActivities,
  DEFAULT_ENGINE_CONFIG,
  type EngineConfig,
} from './activities/index';
export { createServiceFactory, type ServiceFactory } from './activities/services';
// The client entry (./client) is part of this one: tests and tools that run a worker start runs too.
export * from './client/index';
export { historiesDir, historyFromJSON, historyToJSON, replayGoldenHistories } from './histories';
export { buildWorkflowBundle, connectNative, createWorker, workflowsPath } from './worker';
export type { DateSweepInput } from './workflows/date-sweep';
export type { pingWorkflow, sleepWorkflow } from './workflows/diagnostics';
export type { RunResult } from './workflows/run-state';
