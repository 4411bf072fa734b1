export { type TemporalConfig, temporalConfigFromEnv } from './config';
export { buildWorkflowBundle, connectNative, createWorker, workflowsPath } from './worker';
export type { pingWorkflow, sleepWorkflow } from './workflows/diagnostics';
