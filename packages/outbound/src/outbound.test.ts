import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  guardedNodeAgents,
  isPublicAddress,
  OutboundError,
  type OutboundPolicy,
  outboundFetch,
  parseAllowList,
  STRICT_POLICY,
} from './index';

// A local service standing in for anything inside the network (a database admin page, metadata).
let hits = 0;
let port = 0;
const server = http.createServer((req, res) => {
  hits++;
  if (req.url === '/redirect') {
    res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`internal secret for ${req.method} ${req.url}`);
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function refusal(policy: OutboundPolicy, url: string): Promise<string> {
  const before = hits;
  const err = await outboundFetch(policy, url, { signal: AbortSignal.timeout(5000) }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundError);
  expect(hits).toBe(before); // nothing reached the internal service
  return (err as OutboundError).code;
}

describe('outbound client', () => {
  it('refuses plain http and internal IP literals by default', async () => {
    expect(await refusal(STRICT_POLICY, `http://127.0.0.1:${port}/`)).toBe('outbound.insecure_scheme');
    for (const host of [
      '127.0.0.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.200',
      '[fd00:ec2::254]',
      '[fe80::1]',
      '224.0.0.1',
    ]) {
      expect(await refusal(STRICT_POLICY, `https://${host}:${port}/latest/meta-data`)).toBe(
        'outbound.blocked_address',
      );
    }
  });

  it('refuses a host name at connect time when it resolves to an internal address', async () => {
    // `localhost` passes the URL check (a name, not an address); the resolved 127.0.0.1 does not.
    expect(await refusal(STRICT_POLICY, `https://localhost:${port}/`)).toBe('outbound.blocked_address');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    expect(await refusal(STRICT_POLICY, 'file:///etc/passwd')).toBe('outbound.invalid_url');
    expect(await refusal(STRICT_POLICY, 'gopher://127.0.0.1:70/')).toBe('outbound.invalid_url');
    expect(await refusal(STRICT_POLICY, 'https://user:pw@example.com/')).toBe('outbound.invalid_url');
    expect(await refusal(STRICT_POLICY, 'not a url')).toBe('outbound.invalid_url');
  });

  it('lets an allow-listed host and port through, over http, and no other port', async () => {
    const policy: OutboundPolicy = { allow: parseAllowList(`127.0.0.1:${port}`) };
    const res = await outboundFetch(policy, `http://127.0.0.1:${port}/ok`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('internal secret for POST /ok');
    const other: OutboundPolicy = { allow: parseAllowList(`127.0.0.1:${port + 1}`) };
    expect(await refusal(other, `http://127.0.0.1:${port}/`)).toBe('outbound.insecure_scheme');
    const byName: OutboundPolicy = { allow: parseAllowList(`localhost:${port}`) };
    expect((await outboundFetch(byName, `http://localhost:${port}/n`)).status).toBe(200);
  });

  it('does not follow redirects', async () => {
    const policy: OutboundPolicy = { allow: parseAllowList(`127.0.0.1:${port}`) };
    const before = hits;
    const err = await outboundFetch(policy, `http://127.0.0.1:${port}/redirect`).catch((e) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect(err.code).toBe('outbound.redirect');
    expect(err.message).not.toContain('secret');
    expect(hits).toBe(before + 1); // the redirect itself, not its target
  });

  it('guards node http agents the same way', async () => {
    const get = (agent: http.Agent, host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host, port, path: '/', agent }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
    const strict = guardedNodeAgents(STRICT_POLICY);
    const before = hits;
    await expect(get(strict.http, '127.0.0.1')).rejects.toMatchObject({ code: 'outbound.blocked_address' });
    await expect(get(strict.http, 'localhost')).rejects.toMatchObject({ code: 'outbound.blocked_address' });
    expect(hits).toBe(before);
    const allowed = guardedNodeAgents({ allow: parseAllowList(`127.0.0.1:${port}`) });
    expect(await get(allowed.http, '127.0.0.1')).toBe(200);
  });

  it('classifies addresses and parses the allow-list', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('nonsense')).toBe(false);
    expect(parseAllowList(' 127.0.0.1:4510, [::1]:80 ,emulator ')).toEqual([
      { host: '127.0.0.1', port: 4510 },
      { host: '::1', port: 80 },
      { host: 'emulator', port: null },
    ]);
    expect(() => parseAllowList('127.0.0.1:99999')).toThrow(/HOURGLASS_OUTBOUND_ALLOW/);
  });
});
