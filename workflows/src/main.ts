import fs from 'node:fs';
import { channelsConfigFromEnv } from '@hourglass/channels';
import { createDb } from '@hourglass/db';
import { channelsSender, type EngineConfig } from './activities/index';
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
  // Resend / Twilio when their keys are set, else the channels outbox (shown in the UI).
  const sender = channelsSender(database.db, channelsConfigFromEnv());
  const bundlePath = env.HOURGLASS_WORKFLOW_BUNDLE;
  const bundle = bundlePath ? { code: fs.readFileSync(bundlePath, 'utf8') } : await buildWorkflowBundle();
  const connection = await connectNative(config);
  const worker = await createWorker({
    connection,
    config,
    bundle,
    activities: { db: database.db, engine, sender },
    // Parked runs (weeks on a timer) must not stay in memory: the cache is bounded and evicted runs are
    // replayed from history when their timer fires.
    tuning: { maxCachedWorkflows: num(env.HOURGLASS_MAX_CACHED_WORKFLOWS) ?? 500 },
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
