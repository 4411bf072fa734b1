import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { channelsConfigFromEnv } from '@hourglass/channels';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Every kind of response carries the CSP, anti-framing and nosniff headers: API JSON, errors, 404s,
// the web app, the docs, webhooks and the unsubscribe page.
let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let webDist: string;
beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Hourglass</title>');
  h = await harness('api_security_headers', {
    webDist,
    channels: channelsConfigFromEnv({
      HOURGLASS_SECRET_KEY: 'security-headers-test-secret-key',
      RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from('security-headers-test').toString('base64')}`,
    }),
    rateLimit: { max: 1000, perAddressMax: 3, timeWindowMs: 60_000 },
  });
  tenant = await seedTenant(h.t.db, 'Headers shop');
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

function expectSecurityHeaders(res: LightMyRequestResponse, what: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, `${what}: CSP`).toContain("default-src 'self'");
  expect(csp, `${what}: CSP`).toContain("script-src 'self'");
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP`).toContain("object-src 'none'");
  expect(csp, `${what}: CSP`).not.toContain('unsafe-eval');
  expect(res.headers['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(res.headers['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff');
}

describe('security headers', () => {
  it('are on every kind of response', async () => {
    const cases: [string, InjectOptions, number][] = [
      ['API JSON', withKey(tenant.keys.read, { method: 'GET', url: '/v1/journeys' }), 200],
      ['API 401', { method: 'GET', url: '/v1/journeys' }, 401],
      ['API 400', withKey(tenant.keys.write, { method: 'POST', url: '/v1/journeys', payload: {} }), 400],
      ['API 404 (no route)', { method: 'GET', url: '/v1/nothing-here' }, 404],
      ['404 (no route, POST)', { method: 'POST', url: '/nothing-here' }, 404],
      ['web index', { method: 'GET', url: '/' }, 200],
      ['web client route', { method: 'GET', url: '/journeys/123' }, 200],
      ['health', { method: 'GET', url: '/health' }, 200],
      ['docs', { method: 'GET', url: '/docs' }, 200],
      ['docs JSON', { method: 'GET', url: '/docs/json' }, 200],
      [
        'webhook (unsigned)',
        { method: 'POST', url: '/webhooks/resend', payload: { type: 'email.sent' } },
        401,
      ],
      ['unsubscribe page', { method: 'GET', url: '/unsubscribe?token=forged' }, 400],
    ];
    for (const [what, request, status] of cases) {
      const res = await h.app.inject(request);
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expectSecurityHeaders(res, what);
    }
  });

  it('are on rate-limited responses', async () => {
    let res: LightMyRequestResponse | undefined;
    for (let i = 0; i < 5; i++) {
      res = await h.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.7' });
    }
    expect(res?.statusCode).toBe(429);
    if (res) expectSecurityHeaders(res, 'rate limited');
  });
});
