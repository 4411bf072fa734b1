import { sleep } from '@temporalio/workflow';

/** Round-trips through a worker: proves the task queue is served. */
export async function pingWorkflow(message: string): Promise<string> {
  return `pong: ${message}`;
}

/** Sleeps on a durable timer, then reports how long it slept (workflow time). */
export async function sleepWorkflow(ms: number): Promise<{ sleptMs: number }> {
  const started = Date.now();
  await sleep(ms);
  return { sleptMs: Date.now() - started };
}
