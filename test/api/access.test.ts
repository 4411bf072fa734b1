import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, login, orderEvent, seedTenant, withKey } from './harness';

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await harness('api_access', { rateLimit: { max: 5, timeWindowMs: 60_000 } });
  tenant = await seedTenant(h.t.db, 'Access shop');
});
afterAll(async () => h?.close());

describe('sessions', () => {
  it('signs in with an httpOnly cookie and refuses a wrong password', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: tenant.owner.email, password: 'nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('invalid_credentials');
    const ok = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: tenant.owner.email.toUpperCase(), password: 'correct horse' },
    });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'hg_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(ok.json()).toMatchObject({
      kind: 'session',
      role: 'owner',
      workspace: { id: tenant.workspace.id },
    });
  });

  it('requires the CSRF header on cookie-authenticated writes only', async () => {
    const headers = await login(h.app, tenant.owner.email);
    const read = await h.app.inject({
      method: 'GET',
      url: '/v1/journeys',
      headers: { cookie: headers.cookie },
    });
    expect(read.statusCode).toBe(200);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/v1/journeys',
      headers: { cookie: headers.cookie },
      payload: { name: 'x' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_failed');
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/v1/journeys',
      headers: { ...headers, 'x-csrf-token': 'forged' },
      payload: { name: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await h.app.inject({ method: 'POST', url: '/v1/journeys', headers, payload: { name: 'x' } });
    expect(ok.statusCode).toBe(201);
    const out = await h.app.inject({ method: 'POST', url: '/v1/auth/logout', headers });
    expect(out.statusCode).toBe(200);
    const after = await h.app.inject({
      method: 'GET',
      url: '/v1/journeys',
      headers: { cookie: headers.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('lets a viewer read but not write', async () => {
    const headers = await login(h.app, tenant.viewer.email);
    expect((await h.app.inject({ method: 'GET', url: '/v1/journeys', headers })).statusCode).toBe(200);
    const write = await h.app.inject({
      method: 'POST',
      url: '/v1/journeys',
      headers,
      payload: { name: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('forbidden');
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, scoped and revocable', async () => {
    const created = await h.app.inject(
      withKey(tenant.keys.admin, {
        method: 'POST',
        url: '/v1/api-keys',
        payload: { name: 'shop', scopes: ['ingest'] },
      }),
    );
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^hg_/);
    const rows = await h.t.db.$client.query('select key_hash from api_keys where id = $1', [id]);
    expect(rows.rows[0].key_hash).not.toContain(key);
    const listed = await h.app.inject(withKey(tenant.keys.admin, { method: 'GET', url: '/v1/api-keys' }));
    expect(listed.body).not.toContain(key);
    expect(
      (await h.app.inject(withKey(key, { method: 'POST', url: '/v1/events', payload: orderEvent('k1', 1) })))
        .statusCode,
    ).toBe(202);
    expect((await h.app.inject(withKey(key, { method: 'GET', url: '/v1/journeys' }))).statusCode).toBe(403);
    expect(
      (await h.app.inject(withKey(tenant.keys.write, { method: 'GET', url: '/v1/api-keys' }))).statusCode,
    ).toBe(403);
    const revoked = await h.app.inject(
      withKey(tenant.keys.admin, { method: 'DELETE', url: `/v1/api-keys/${id}` }),
    );
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await h.app.inject(
      withKey(key, { method: 'POST', url: '/v1/events', payload: orderEvent('k1', 1) }),
    );
    expect(after.statusCode).toBe(401);
  });

  it('are rate limited per key with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await h.app.inject(withKey(tenant.keys.read, { method: 'GET', url: '/v1/segments' }));
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = res.headers['retry-after'] as string;
        expect(res.json().code).toBe('rate_limited');
      }
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another key is not affected.
    expect(
      (await h.app.inject(withKey(tenant.keys.all, { method: 'GET', url: '/v1/segments' }))).statusCode,
    ).toBe(200);
  });
});

describe('docs', () => {
  it('serves the OpenAPI document and an index', async () => {
    const json = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(Object.keys(json.json().paths)).toContain('/v1/events');
    const html = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(html.body).toContain('/v1/journeys/{id}/publish');
  });
});
