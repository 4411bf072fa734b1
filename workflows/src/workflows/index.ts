// The workflow bundle's entry: only deterministic code is reachable from here.
export { dateSweep } from './date-sweep';
export { pingWorkflow, sleepWorkflow } from './diagnostics';
export { journeyRun } from './journey';
