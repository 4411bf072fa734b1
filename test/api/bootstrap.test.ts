import { sweepAllDateTriggers } from '@hourglass/db';
import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { bootstrap, buildApp } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('api_bootstrap');
});
afterAll(async () => t?.drop());

describe('bootstrap', () => {
  it('seeds a demo workspace once, with deterministic credentials from the environment', async () => {
    const env = {
      HOURGLASS_BOOTSTRAP_EMAIL: 'Demo@Example.com',
      HOURGLASS_BOOTSTRAP_PASSWORD: 'demo-pass',
      HOURGLASS_BOOTSTRAP_API_KEY: 'hg_demo_key_123',
    };
    const created = await bootstrap(t.db, env);
    expect(created).toMatchObject({
      email: 'demo@example.com',
      password: 'demo-pass',
      apiKey: 'hg_demo_key_123',
    });
    expect(await bootstrap(t.db, env)).toBeNull();
    const app = await buildApp({ db: t.db, pingDatabase: async () => {}, pingTemporal: async () => {} });
    try {
      const auth = { authorization: 'Bearer hg_demo_key_123' };
      const customers = (await app.inject({ method: 'GET', url: '/v1/customers', headers: auth })).json();
      expect(customers.length).toBeGreaterThanOrEqual(6);
      expect(new Set(customers.map((c: { timezone: string }) => c.timezone)).size).toBeGreaterThanOrEqual(5);
      const journeys = (await app.inject({ method: 'GET', url: '/v1/journeys', headers: auth })).json();
      expect(journeys.length).toBeGreaterThanOrEqual(8);
      expect(journeys.every((j: { status: string }) => j.status === 'draft')).toBe(true);
      const login = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'demo@example.com', password: 'demo-pass' },
      });
      expect(login.json().role).toBe('owner');
      const loyal = await app.inject({
        method: 'POST',
        url: '/v1/segments/preview',
        headers: auth,
        payload: { rule: { field: 'customer.stats.aov', op: 'gt', value: 300 } },
      });
      expect(loyal.json().count).toBeGreaterThanOrEqual(2);
      // Publishing the anniversary template makes the date sweep (what each workspace's schedule runs)
      // enqueue due customers, idempotently.
      const anniversary = journeys.find((j: { templateKey: string }) =>
        j.templateKey?.includes('anniversary'),
      );
      if (anniversary) {
        const pub = await app.inject({
          method: 'POST',
          url: `/v1/journeys/${anniversary.id}/publish`,
          headers: auth,
          payload: {},
        });
        expect(pub.statusCode).toBe(201);
        const now = new Date();
        const first = await sweepAllDateTriggers(t.db, now);
        expect(await sweepAllDateTriggers(t.db, now)).toBe(0);
        expect(first).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
    }
  });
});
