import { temporalConfigFromEnv } from './config';
import { buildWorkflowBundle, connectNative, createWorker } from './worker';

// Worker process entry: `tsx workflows/src/main.ts`. Stops cleanly on SIGINT/SIGTERM (the SDK handles both).
const config = temporalConfigFromEnv();
try {
  const bundle = await buildWorkflowBundle();
  const connection = await connectNative(config);
  const worker = await createWorker({ connection, config, bundle });
  console.log(
    `worker: polling task queue "${config.taskQueue}" on ${config.address} (namespace ${config.namespace})`,
  );
  await worker.run();
  await connection.close();
} catch (err) {
  console.error(`worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
