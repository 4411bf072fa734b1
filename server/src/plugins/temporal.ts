import type { TemporalConfig } from '@hourglass/workflows/client';
import { Client, Connection } from '@temporalio/client';

/** A lazily connected Temporal client: the API starts (and reports unhealthy) even while Temporal is down. */
export function createTemporalClient(config: TemporalConfig): { client: Client; connection: Connection } {
  const connection = Connection.lazy({
    address: config.address,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
  const client = new Client({ connection, namespace: config.namespace });
  return { client, connection };
}

/** Resolves when Temporal answers within `timeoutMs`; rejects otherwise. */
export async function pingTemporal(connection: Connection, timeoutMs = 2000): Promise<void> {
  await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
}
