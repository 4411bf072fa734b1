import type { sleepWorkflow } from '@hourglass/workflows';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';

const DAY = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEnv.testServerPath } },
  });
});

afterAll(async () => {
  await env?.teardown();
});

describe('time-skipping test server', () => {
  it('completes a workflow that sleeps 30 days within seconds of wall time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping',
      workflowBundle: workflowBundle(),
    });
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof sleepWorkflow>('sleepWorkflow', {
        taskQueue: 'time-skipping',
        workflowId: `sleep-${Date.now()}`,
        args: [30 * DAY],
      }),
    );
    expect(result.sleptMs).toBeGreaterThanOrEqual(30 * DAY);
    expect(Date.now() - wallStart).toBeLessThan(20_000);
  });
});
