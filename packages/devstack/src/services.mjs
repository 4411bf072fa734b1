import path from 'node:path';
import { info } from './log.mjs';
import { checkDatabase, startPostgres } from './postgres.mjs';
import { checkTemporalAddress, startTemporalDevServer } from './temporal.mjs';

/**
 * Brings up PostgreSQL and Temporal unless DATABASE_URL / TEMPORAL_ADDRESS point at existing ones.
 * Returns the environment for the processes that use them and a `stop()` for what was started here.
 */
export async function startServices({ dataDir, pgPort, temporalPort, uiPort, persistTemporal, fast }) {
  const stops = [];
  const env = {};
  try {
    if (process.env.DATABASE_URL) {
      await checkDatabase(process.env.DATABASE_URL);
      env.DATABASE_URL = process.env.DATABASE_URL;
    } else {
      const pg = await startPostgres({ dir: path.join(dataDir, 'postgres'), port: pgPort, fast });
      stops.push(pg.stop);
      env.DATABASE_URL = pg.url;
    }
    if (process.env.TEMPORAL_ADDRESS) {
      await checkTemporalAddress(process.env.TEMPORAL_ADDRESS);
      env.TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
    } else {
      const temporal = await startTemporalDevServer({
        port: temporalPort,
        uiPort,
        dbFile: persistTemporal ? path.join(dataDir, 'temporal', 'temporal.db') : null,
        logFile: path.join(dataDir, 'temporal', 'temporal.log'),
      });
      stops.push(temporal.stop);
      env.TEMPORAL_ADDRESS = temporal.address;
      env.TEMPORAL_NAMESPACE = 'default';
    }
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
  return {
    env,
    stop: async () => {
      info('stopping services…');
      await stopAll(stops);
    },
  };
}

async function stopAll(stops) {
  for (const stop of [...stops].reverse()) await stop();
}
