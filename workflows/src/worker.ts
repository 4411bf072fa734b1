import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from './activities/index';
import type { TemporalConfig } from './config';

/** Path of the workflow bundle's entry module. */
export const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows', 'index.ts');

/**
 * Stateless modules evaluated once per worker and shared by every workflow in its V8 context, instead
 * of once per workflow: the journey model (rules, hashing, plan schemas, and the zod it loads) weighs megabytes per
 * cached run and milliseconds per run start otherwise. Neither keeps per-run state at module scope.
 */
const PRELOADED_MODULES = ['@hourglass/journey'];

/** Bundles the workflow code once (webpack); the result can be shared by several workers. */
export async function buildWorkflowBundle(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger, preloadModules: PRELOADED_MODULES });
}

/** Connects to Temporal the way the worker does. */
export function connectNative(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.address,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
}

/**
 * Creates a worker polling the journey task queue. Without `activities` the worker serves workflows
 * only (diagnostics, or a fleet split into workflow and activity workers).
 */
export async function createWorker(opts: {
  connection: NativeConnection;
  config: TemporalConfig;
  bundle?: { code: string };
  activities?: ActivityDeps;
  /** Extra Worker.create options (concurrency, cache size) for tuning and benchmarks. */
  tuning?: Partial<
    Pick<
      WorkerOptions,
      | 'maxCachedWorkflows'
      | 'maxConcurrentWorkflowTaskExecutions'
      | 'maxConcurrentActivityTaskExecutions'
      | 'maxConcurrentLocalActivityExecutions'
      | 'nonStickyToStickyPollRatio'
    >
  >;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.namespace,
    taskQueue: opts.config.taskQueue,
    ...(opts.bundle ? { workflowBundle: opts.bundle } : { workflowsPath }),
    activities: opts.activities ? createActivities(opts.activities) : {},
    // Most of a journey's workflow tasks come from the shared (non-sticky) queue: a new run's first
    // task (which, with local activities, carries it to its first wait) and the wake-up of a run
    // evicted from the cache during a long wait. The SDK's default keeps 2 of its 10 pollers there
    // and 8 on this worker's sticky queue; at 50 new runs/s that made first tasks wait for a poller
    // (p99 event to first send 365–401 ms, against 187–234 ms with an even split).
    nonStickyToStickyPollRatio: 1,
    ...opts.tuning,
  });
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
};
