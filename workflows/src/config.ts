import fs from 'node:fs';

/** How to reach Temporal: a local dev server, a self-hosted cluster, or Temporal Cloud. */
export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: {
    serverNameOverride?: string;
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
  };
}

/** Reads TEMPORAL_* environment variables; TLS is on when an API key or client certificate is given. */
export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const config: TemporalConfig = {
    address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'hourglass',
  };
  if (env.TEMPORAL_API_KEY) config.apiKey = env.TEMPORAL_API_KEY;
  const certPath = env.TEMPORAL_TLS_CERT_PATH;
  const keyPath = env.TEMPORAL_TLS_KEY_PATH;
  const caPath = env.TEMPORAL_TLS_CA_PATH;
  if (certPath || keyPath || caPath || env.TEMPORAL_TLS === 'true' || config.apiKey) {
    config.tls = {};
    if (certPath && keyPath) {
      config.tls.clientCertPair = { crt: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) };
    }
    if (caPath) config.tls.serverRootCACertificate = fs.readFileSync(caPath);
    if (env.TEMPORAL_TLS_SERVER_NAME) config.tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  }
  return config;
}
