import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index';
import type { TemporalConfig } from './config';

/** Path of the workflow bundle's entry module. */
export const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows', 'index.ts');

/** Bundles the workflow code once (webpack); the result can be shared by several workers. */
export async function buildWorkflowBundle(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}

/** Connects to Temporal the way the worker does. */
export function connectNative(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.address,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
}

/** Creates a worker polling the journey task queue. */
export async function createWorker(opts: {
  connection: NativeConnection;
  config: TemporalConfig;
  bundle?: { code: string };
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.namespace,
    taskQueue: opts.config.taskQueue,
    ...(opts.bundle ? { workflowBundle: opts.bundle } : { workflowsPath }),
    activities: createActivities({}),
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
