// @hourglass/workflows/client — what the API needs to start, signal and schedule runs, on
// @temporalio/client alone: no worker, no activities, no database. Workflows are named by their type
// (type-only imports), so their arguments are checked without loading workflow code.
export { type TemporalConfig, temporalConfigFromEnv } from '../config';
export * from '../contract';
export type { dateSweep } from '../workflows/date-sweep';
export type { journeyRun } from '../workflows/journey';
export {
  cancelRun,
  type EntryRule,
  isRepeatingEntry,
  journeyWorkflowId,
  runIsOpen,
  type StartOutcome,
  signalJourneyStatus,
  signalRunEvent,
  startJourneyRun,
  terminateRun,
} from './runs';
export {
  DATE_SWEEP_CATCHUP,
  DATE_SWEEP_EVERY,
  DATE_SWEEP_WORKFLOW,
  dateSweepScheduleId,
  deleteDateSweepSchedule,
  ensureDateSweepSchedule,
  triggerDateSweep,
} from './schedules';
