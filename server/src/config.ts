import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TemporalConfig, temporalConfigFromEnv } from '@hourglass/workflows/client';

/** Server settings, all from the environment. */
export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string;
  temporal: TemporalConfig;
  /** Folder of the built web app; served at / when it exists. */
  webDist: string;
  /** Minutes between retention passes (HOURGLASS_RETENTION_MINUTES, default 60; 0 = off). */
  retentionMinutes: number;
  /** Seconds between journey-analytics rollup refreshes (HOURGLASS_STATS_REFRESH_SECONDS, default 60; 0 = off). */
  statsRefreshSeconds: number;
}

/** Reads the server's settings; throws one clear message when a required one is missing. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT is not a valid port: ${env.PORT}`);
  const retentionMinutes = Number(env.HOURGLASS_RETENTION_MINUTES ?? 60);
  if (!Number.isFinite(retentionMinutes) || retentionMinutes < 0)
    throw new Error(
      `HOURGLASS_RETENTION_MINUTES is not a number of minutes: ${env.HOURGLASS_RETENTION_MINUTES}`,
    );
  const statsRefreshSeconds = Number(env.HOURGLASS_STATS_REFRESH_SECONDS ?? 60);
  if (!Number.isFinite(statsRefreshSeconds) || statsRefreshSeconds < 0)
    throw new Error(
      `HOURGLASS_STATS_REFRESH_SECONDS is not a number of seconds: ${env.HOURGLASS_STATS_REFRESH_SECONDS}`,
    );
  return {
    retentionMinutes,
    statsRefreshSeconds,
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL,
    temporal: temporalConfigFromEnv(env),
    webDist:
      env.HOURGLASS_WEB_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist'),
  };
}
