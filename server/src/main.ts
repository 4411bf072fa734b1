import { channelsConfigFromEnv, reencryptLegacySecrets, shopifyConfigFromEnv } from '@hourglass/channels';
import { createDb, migrate } from '@hourglass/db';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { serverConfigFromEnv } from './config';
import { createTemporalClient, pingTemporal } from './plugins/temporal';
import { startDateSchedules } from './routing/date-schedules';
import { startDispatcher } from './routing/dispatcher';
import { startJourneyStatsRefresher } from './services/journey-stats';
import { startRetention } from './services/retention';
import { startShopifyReconciler } from './shopify/reconcile';

// API process entry: `tsx server/src/main.ts`. Migrates (a no-op when up to date), bootstraps an empty
// database, then serves the API, runs the event dispatcher and puts every workspace's date schedule in place.
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
  // Provider secrets stored while the key was the old public development constant move to this
  // installation's own key (a no-op once done).
  const moved = await reencryptLegacySecrets(db, channelsConfigFromEnv().secretKey);
  if (moved) console.log(`Re-encrypted ${moved} stored provider secret(s) with this installation's key.`);
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
  const schedules = startDateSchedules({ db, temporal, log: app.log });
  // Shopify does not guarantee webhook delivery: connected stores are read back periodically.
  const shopify = shopifyConfigFromEnv();
  const channels = channelsConfigFromEnv();
  const reconciler =
    shopify.reconcileMinutes > 0
      ? startShopifyReconciler({
          db,
          config: shopify,
          outbound: channels.outbound,
          secretKey: channels.secretKey,
          intervalMs: shopify.reconcileMinutes * 60_000,
          onEventsAccepted: () => poke(),
          log: app.log,
        })
      : null;
  // Expired history goes in small batches (workspace settings › retention).
  const retention =
    config.retentionMinutes > 0
      ? startRetention({ db, intervalMs: config.retentionMinutes * 60_000, log: app.log })
      : null;
  // Journey analytics: the days changed since the last pass get their rollups recomputed.
  const stats =
    config.statsRefreshSeconds > 0
      ? startJourneyStatsRefresher({ db, intervalMs: config.statsRefreshSeconds * 1000, log: app.log })
      : null;
  const close = async () => {
    schedules.stop();
    await retention?.stop();
    await stats?.stop();
    await reconciler?.stop();
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
