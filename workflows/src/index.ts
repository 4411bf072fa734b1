export {
  cancelRun,
  type EntryRule,
  journeyWorkflowId,
  type StartOutcome,
  signalJourneyStatus,
  signalRunEvent,
  startJourneyRun,
} from './client';
export { type TemporalConfig, temporalConfigFromEnv } from './config';
export * from './contract';
export { buildWorkflowBundle, connectNative, createWorker, workflowsPath } from './worker';
export type { pingWorkflow, sleepWorkflow } from './workflows/diagnostics';
