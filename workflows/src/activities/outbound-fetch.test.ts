import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ActionContext, ActionError, createActionHandlers, webCryptoHmacSha256 } from '@hourglass/nodes';
import { parseAllowList, STRICT_POLICY } from '@hourglass/outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from './outbound-fetch';

// The built-in webhook node with the worker's real fetch: a journey cannot make the worker call
// into its own network unless the installation allow-lists the destination.

const ctx: ActionContext = {
  idempotencyKey: 'run1:step1',
  runId: 'run1',
  stepId: 'step1',
  workspaceId: 'ws1',
  journeyId: 'j1',
  attempt: 1,
  customer: { id: 'c1' },
  order: null,
  trigger: null,
  steps: {},
};
let connections = 0;
let port = 0;
const received: string[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push(body);
    if (req.url === '/moved') res.writeHead(307, { location: 'http://169.254.169.254/' }).end();
    else res.writeHead(204).end();
  });
});
server.on('connection', () => connections++);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const handlers = (policy = STRICT_POLICY) =>
  createActionHandlers({
    http: { fetch: guardedFetch(policy), hmacSha256: webCryptoHmacSha256 },
    secrets: { get: async () => 'whsec_c2VjcmV0LWtleQ==' },
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
  });
const post = (url: string, policy = STRICT_POLICY) =>
  handlers(policy)['webhook.post']({ url, secretName: 'crm', eventName: 'x', timeoutMs: 5000 }, ctx);

describe('webhook node through the outbound client', () => {
  it('fails for good (no retries) on internal and metadata addresses, reaching nothing', async () => {
    for (const [url, code] of [
      [`http://127.0.0.1:${port}/hook`, 'outbound.insecure_scheme'],
      [`https://localhost:${port}/hook`, 'outbound.blocked_address'],
      ['https://169.254.169.254/latest/meta-data/', 'outbound.blocked_address'],
      ['https://[::1]/hook', 'outbound.blocked_address'],
    ] as const) {
      const err = await post(url).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(ActionError);
      expect(err).toMatchObject({ code, retryable: false });
    }
    expect(connections).toBe(0);
  });

  it('posts to an allow-listed destination, and does not follow its redirect', async () => {
    const allowed = { allow: parseAllowList(`127.0.0.1:${port}`) };
    await expect(post(`http://127.0.0.1:${port}/hook`, allowed)).resolves.toEqual({
      status: 'ok',
      output: { httpStatus: 204 },
    });
    expect(JSON.parse(received.at(-1) ?? '{}')).toMatchObject({ type: 'x' });
    const err = await post(`http://127.0.0.1:${port}/moved`, allowed).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'outbound.redirect', retryable: false });
  });
});
