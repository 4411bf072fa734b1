import { createHash, randomBytes } from 'node:crypto';
import { createApiKey } from '@hourglass/db';
import { buildApp, type contract } from '@hourglass/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Harness } from './harness';

/** The API over an engine harness's database, with a key of the given scopes. */
export interface EngineApi {
  app: FastifyInstance;
  key: string;
  call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** A run's timeline as support reads it (fails the test unless 200). */
  timeline(runRowId: string): Promise<contract.RunTimelineView>;
}

/** Builds the API (no Temporal client: runs are started by the test) and an API key for it. */
export async function engineApi(
  h: Harness,
  scopes: Array<'ingest' | 'read' | 'write' | 'admin'>,
): Promise<EngineApi> {
  const app = await buildApp({
    db: h.db.db,
    pingDatabase: () => h.db.pool.query('select 1'),
    pingTemporal: async () => {},
  });
  const key = `hg_test_${scopes.join('_')}_${randomBytes(16).toString('hex')}`;
  await createApiKey(h.db.db, h.ws.id, {
    name: scopes.join(' '),
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes,
  });
  const call: EngineApi['call'] = (method, url, payload) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    app,
    key,
    call,
    async timeline(runRowId) {
      const res = await call('GET', `/v1/runs/${runRowId}/timeline`);
      if (res.statusCode !== 200) throw new Error(`timeline answered ${res.statusCode}: ${res.body}`);
      return res.json() as contract.RunTimelineView;
    },
  };
}
