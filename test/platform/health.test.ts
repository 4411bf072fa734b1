import { buildApp, createTemporalClient, pingTemporal } from '@hourglass/server';
import { temporalConfigFromEnv } from '@hourglass/workflows';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../src/env';

const pools: pg.Pool[] = [];
function pool(url: string) {
  const p = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 1000 });
  p.on('error', () => {});
  pools.push(p);
  return p;
}

async function health(databaseUrl: string, temporalAddress: string) {
  const db = pool(databaseUrl);
  const { connection } = createTemporalClient(temporalConfigFromEnv({ TEMPORAL_ADDRESS: temporalAddress }));
  const app = await buildApp({
    pingDatabase: () => db.query('select 1'),
    pingTemporal: () => pingTemporal(connection, 1500),
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/health' });
    return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] };
  } finally {
    await app.close();
    await connection.close().catch(() => {});
  }
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe('GET /health', () => {
  it('is ok when PostgreSQL and Temporal answer', async () => {
    const res = await health(testEnv.databaseUrl, testEnv.temporalAddress);
    expect(res).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', temporal: 'ok' } },
    });
  });

  it('is 503 naming the database when PostgreSQL is unreachable', async () => {
    const res = await health('postgres://nobody@127.0.0.1:1/none', testEnv.temporalAddress);
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'unreachable', temporal: 'ok' });
    expect(res.retryAfter).toBeDefined();
  });

  it('is 503 naming Temporal when Temporal is unreachable', async () => {
    const res = await health(testEnv.databaseUrl, '127.0.0.1:1');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'ok', temporal: 'unreachable' });
  });
});
