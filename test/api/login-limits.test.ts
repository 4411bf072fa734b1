import { randomBytes } from 'node:crypto';
import { buildApp } from '@hourglass/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Two apps: one with a small per-address request budget (the general limiter), one with the default
// request budgets so that only the login lockout (5 per email+address, 20 per address, 15 min) answers.
let limited: Harness;
let logins: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  limited = await harness('api_request_limits', {
    rateLimit: { max: 50, perAddressMax: 10, timeWindowMs: 60_000 },
  });
  logins = await harness('api_login_limits');
  tenant = await seedTenant(logins.t.db, 'Lockout shop');
  other = await seedTenant(limited.t.db, 'Limits shop');
});
afterAll(async () => {
  await limited?.close();
  await logins?.close();
});

const signIn = (app: FastifyInstance, email: string, password: string, remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress });

const auditRows = async (workspaceId: string, action: string) =>
  (
    await logins.t.pool.query<{ actor: string; target: string; details: Record<string, unknown> }>(
      'select actor, target, details from audit_log where workspace_id = $1 and action = $2 order by at',
      [workspaceId, action],
    )
  ).rows;

describe('login lockout', () => {
  it('locks an email at one address after 5 failures, even for the right password', async () => {
    const email = tenant.owner.email;
    // Forty guesses at once: counting is serialised per address, so at most five reach the password check.
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(logins.app, email, `wrong-${i}`, '10.0.0.1')),
    );
    const statuses = guesses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    const right = await signIn(logins.app, email, 'correct horse', '10.0.0.1');
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ code: 'login.locked', field: 'email' });
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The same email from another address, and another email from the same address, still sign in.
    expect((await signIn(logins.app, email, 'correct horse', '10.0.0.2')).statusCode).toBe(200);
    expect((await signIn(logins.app, tenant.viewer.email, 'correct horse', '10.0.0.1')).statusCode).toBe(200);
  });

  it('writes failed sign-ins and the lockout to the account’s audit log', async () => {
    const failed = await auditRows(tenant.workspace.id, 'auth.login_failed');
    expect(failed).toHaveLength(5);
    for (const row of failed) {
      expect(row).toMatchObject({
        actor: 'address:10.0.0.1',
        target: tenant.owner.id,
        details: { email: tenant.owner.email, address: '10.0.0.1' },
      });
    }
    expect(failed.map((r) => r.details.accountFailures).sort()).toEqual([1, 2, 3, 4, 5]);
    const locked = await auditRows(tenant.workspace.id, 'auth.login_locked');
    expect(locked).toHaveLength(1);
    expect(locked[0]?.details).toMatchObject({ scope: 'account', accountFailures: 5 });
  });

  it('a successful sign-in clears the email’s failures at that address', async () => {
    const email = tenant.viewer.email;
    for (let i = 0; i < 4; i++)
      expect((await signIn(logins.app, email, 'nope', '10.0.1.1')).statusCode).toBe(401);
    expect((await signIn(logins.app, email, 'correct horse', '10.0.1.1')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await signIn(logins.app, email, 'nope', '10.0.1.1')).statusCode).toBe(401);
    expect((await signIn(logins.app, email, 'correct horse', '10.0.1.1')).statusCode).toBe(200);
  });

  it('locks a whole address after 20 failures across emails, unknown ones included', async () => {
    const address = '10.0.2.1';
    for (let i = 0; i < 20; i++) {
      const email = `nobody-${i}-${randomBytes(3).toString('hex')}@example.test`;
      expect((await signIn(logins.app, email, 'guess', address)).statusCode).toBe(401);
    }
    const blocked = await signIn(logins.app, tenant.owner.email, 'correct horse', address);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('login.locked');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(logins.app, tenant.owner.email, 'correct horse', '10.0.2.2')).statusCode).toBe(200);
  });

  it('holds in the database, across API processes', async () => {
    const second = await buildApp({
      db: logins.t.db,
      pingDatabase: async () => {},
      pingTemporal: async () => {},
    });
    try {
      const res = await signIn(second, tenant.owner.email, 'correct horse', '10.0.0.1');
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('login.locked');
    } finally {
      await second.close();
    }
  });
});

describe('request limits', () => {
  const get = (headers: Record<string, string>, remoteAddress: string) =>
    limited.app.inject({ method: 'GET', url: '/v1/journeys', headers, remoteAddress });

  it('made-up credentials share their address’s bucket instead of opening new ones', async () => {
    const address = '192.0.2.10';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const made = randomBytes(12).toString('hex');
      const headers: Record<string, string> =
        i % 3 === 0
          ? { authorization: `Bearer hg_${made}` }
          : i % 3 === 1
            ? { cookie: `hg_session=${made}` }
            : { authorization: made };
      statuses.push((await get(headers, address)).statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const res = await get({ authorization: `Bearer hg_${randomBytes(12).toString('hex')}` }, address);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Sign-in from that address is throttled too (it carries no credential).
    expect((await signIn(limited.app, other.owner.email, 'correct horse', address)).statusCode).toBe(429);
    // Another address is unaffected.
    expect((await get({}, '192.0.2.11')).statusCode).toBe(401);
  });

  it('a real API key and a live session keep their own buckets at a throttled address', async () => {
    const address = '192.0.2.20';
    const session = await signIn(limited.app, other.owner.email, 'correct horse', address);
    expect(session.statusCode).toBe(200);
    const cookie = `hg_session=${session.cookies.find((c) => c.name === 'hg_session')?.value}`;
    for (let i = 0; i < 12; i++) await get({ authorization: `Bearer nope-${i}` }, address);
    expect((await get({}, address)).statusCode).toBe(429);
    const keyed = await limited.app.inject(
      withKey(other.keys.read, { method: 'GET', url: '/v1/journeys', remoteAddress: address }),
    );
    expect(keyed.statusCode).toBe(200);
    expect((await get({ cookie }, address)).statusCode).toBe(200);
    // The key's own budget (50) still applies to it.
    let last = 200;
    for (let i = 0; i < 50 && last === 200; i++) {
      last = (
        await limited.app.inject(
          withKey(other.keys.read, { method: 'GET', url: '/v1/journeys', remoteAddress: address }),
        )
      ).statusCode;
    }
    expect(last).toBe(429);
  });
});
