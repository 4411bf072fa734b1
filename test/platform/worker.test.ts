import { createTemporalClient } from '@hourglass/server';
import { connectNative, createWorker, type pingWorkflow, temporalConfigFromEnv } from '@hourglass/workflows';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';

describe('worker on the dev server', () => {
  it('runs a workflow started through the server’s Temporal client on task queue "hourglass"', async () => {
    const config = temporalConfigFromEnv({ TEMPORAL_ADDRESS: testEnv.temporalAddress });
    expect(config.taskQueue).toBe('hourglass');
    const connection = await connectNative(config);
    const worker = await createWorker({ connection, config, bundle: workflowBundle() });
    const { client, connection: clientConnection } = createTemporalClient(config);
    try {
      const result = await worker.runUntil(
        client.workflow.execute<typeof pingWorkflow>('pingWorkflow', {
          taskQueue: config.taskQueue,
          workflowId: `ping-${Date.now()}`,
          args: ['hello'],
        }),
      );
      expect(result).toBe('pong: hello');
    } finally {
      await clientConnection.close();
      await connection.close();
    }
  });
});
