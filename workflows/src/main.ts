import fs from 'node:fs';
import { createDb } from '@hourglass/db';
import type { EngineConfig } from './activities/index';
import { temporalConfigFromEnv } from './config';
import { buildWorkflowBundle, connectNative, createWorker } from './worker';

// Worker process entry: `tsx workflows/src/main.ts`. Stops cleanly on SIGINT/SIGTERM (the SDK handles both).
// HOURGLASS_WORKFLOW_BUNDLE may point at a prebuilt bundle (tests restart workers without re-bundling).
const config = temporalConfigFromEnv();
const env = process.env;
const num = (v: string | undefined) =>
  v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
const engine: Partial<EngineConfig> = {
  ...(num(env.HOURGLASS_JITTER_MS) !== undefined ? { jitterMs: num(env.HOURGLASS_JITTER_MS)! } : {}),
  ...(num(env.HOURGLASS_ACT_TIMEOUT_MS) !== undefined
    ? { actTimeoutMs: num(env.HOURGLASS_ACT_TIMEOUT_MS)! }
    : {}),
  ...(env.HOURGLASS_SEARCH_ATTRIBUTES === 'false' ? { searchAttributes: false } : {}),
};
try {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const database = createDb(env.DATABASE_URL, { applicationName: 'hourglass-worker' });
  const bundlePath = env.HOURGLASS_WORKFLOW_BUNDLE;
  const bundle = bundlePath ? { code: fs.readFileSync(bundlePath, 'utf8') } : await buildWorkflowBundle();
  const connection = await connectNative(config);
  const worker = await createWorker({
    connection,
    config,
    bundle,
    activities: { db: database.db, engine, ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}) },
  });
  console.log(
    `worker: polling task queue "${config.taskQueue}" on ${config.address} (namespace ${config.namespace})`,
  );
  await worker.run();
  await connection.close();
  await database.close();
} catch (err) {
  console.error(`worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
