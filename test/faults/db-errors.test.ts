import { createDb } from '@hourglass/db';
import { freePort } from '@hourglass/devstack';
import { buildApp, isDatabaseUnavailable } from '@hourglass/server';
import { describe, expect, it } from 'vitest';
import { report } from './support';

// Light: how the API classifies database failures. Unreachable or restarting → 503 + Retry-After
// (code "unavailable"); anything else keeps its usual mapping.

describe('fault: database unreachable', () => {
  it('classifies connection failures as an outage and nothing else', () => {
    const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });
    const outage = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      wrapped(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''),
    ];
    const notOutage = [
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('deadlock detected'), { code: '40P01' }),
      wrapped(Object.assign(new Error('syntax error'), { code: '42601' })),
      new Error('boom'),
      null,
      'ECONNREFUSED',
    ];
    for (const e of outage) expect(isDatabaseUnavailable(e), String(e)).toBe(true);
    for (const e of notOutage) expect(isDatabaseUnavailable(e), String(e)).toBe(false);
  });

  it('answers 503 with Retry-After (never 500) while PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const handle = createDb(`postgres://hourglass@127.0.0.1:${port}/nowhere`, { max: 2 });
    const app = await buildApp({
      db: handle.db,
      pingDatabase: () => handle.pool.query('select 1'),
      pingTemporal: async () => {},
    });
    try {
      const statuses: number[] = [];
      for (const [method, url, payload] of [
        ['POST', '/v1/events', { id: 'e1', type: 'x', customer: { externalId: 'c' } }],
        ['GET', '/v1/journeys', undefined],
        ['POST', '/v1/auth/login', { email: 'a@b.test', password: 'correct horse' }],
      ] as const) {
        const res = await app.inject({
          method,
          url,
          ...(payload ? { payload } : {}),
          headers: { authorization: 'Bearer hg_test_key_0123456789' },
        });
        statuses.push(res.statusCode);
        expect(res.statusCode, `${method} ${url}`).toBe(503);
        expect(res.headers['retry-after']).toBe('2');
        expect(res.json()).toMatchObject({ code: 'unavailable' });
      }
      report('db-unreachable', {
        injected: statuses.length,
        events: 0,
        runs: 0,
        messages: 0,
        duplicates: 0,
        losses: 0,
      });
    } finally {
      await app.close();
      await handle.close();
    }
  });
});
