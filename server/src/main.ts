import pg from 'pg';
import { buildApp } from './app';
import { serverConfigFromEnv } from './config';
import { createTemporalClient, pingTemporal } from './plugins/temporal';

// API process entry: `tsx server/src/main.ts`.
try {
  const config = serverConfigFromEnv();
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  pool.on('error', () => {});
  const { connection } = createTemporalClient(config.temporal);
  const app = await buildApp({
    pingDatabase: () => pool.query('select 1'),
    pingTemporal: () => pingTemporal(connection),
    webDist: config.webDist,
    logger: process.env.HOURGLASS_LOG !== 'silent',
  });
  const close = async () => {
    await app.close();
    await pool.end();
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
