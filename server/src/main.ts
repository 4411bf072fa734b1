import { createDb, migrate } from '@hourglass/db';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { serverConfigFromEnv } from './config';
import { createTemporalClient, pingTemporal } from './plugins/temporal';
import { startDateTicker } from './routing/date-tick';
import { startDispatcher } from './routing/dispatcher';

// API process entry: `tsx server/src/main.ts`. Migrates (a no-op when up to date), bootstraps an empty
// database, then serves the API and runs the event dispatcher and the date-trigger tick.
try {
  const config = serverConfigFromEnv();
  await migrate(config.databaseUrl);
  const handle = createDb(config.databaseUrl, { max: 20, applicationName: 'hourglass-api' });
  const { db } = handle;
  const { client, connection } = createTemporalClient(config.temporal);
  const temporal = { client, taskQueue: config.temporal.taskQueue };
  let poke = () => {};
  const app = await buildApp({
    db,
    temporal,
    onEventsAccepted: () => poke(),
    pingDatabase: () => handle.pool.query('select 1'),
    pingTemporal: () => pingTemporal(connection),
    webDist: config.webDist,
    logger: process.env.HOURGLASS_LOG !== 'silent',
    secureCookies: process.env.HOURGLASS_SECURE_COOKIES === 'true',
  });
  const created = await bootstrap(db);
  if (created) {
    // Printed plainly (not as a JSON log line): this is the only time the key is shown.
    console.log(
      [
        '',
        'Demo workspace created (first start on an empty database).',
        `  Sign in:  ${created.email} / ${created.password}`,
        `  API key:  ${created.apiKey}   (shown once; create more under Settings → API keys)`,
        '',
      ].join('\n'),
    );
  }
  const dispatcher = startDispatcher({ db, temporal, log: app.log });
  poke = dispatcher.poke;
  const ticker = startDateTicker({ db, log: app.log, onEnqueued: dispatcher.poke });
  const close = async () => {
    ticker.stop();
    await app.close();
    await dispatcher.stop();
    await handle.close();
    await connection.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  console.error(`server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
