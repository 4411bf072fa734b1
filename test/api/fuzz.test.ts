import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { signedResend, signedTwilio } from '../channels/signed';
import { fingerprint } from './fingerprint';
import { type Harness, harness, orderEvent, seedTenant } from './harness';

// Random and hostile payloads against every route: never a 5xx, and a rejected request changes nothing.

let h: Harness;
let key: string;
let routes: { method: string; path: string }[];
// Provider secrets for signing webhooks; the providers point at a closed port and nothing here sends.
const channels = testConfig('http://127.0.0.1:9');

beforeAll(async () => {
  h = await harness('api_fuzz', { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 }, channels });
  const tenant = await seedTenant(h.t.db, 'Fuzz shop');
  key = tenant.keys.all;
  await h.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${key}` },
    payload: orderEvent('fz', 10),
  });
  const spec = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
  // Logging out with a key is harmless; keep the rest.
  routes = routes.filter((r) => r.path.startsWith('/v1/'));
});
afterAll(async () => h?.close());

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

const HOSTILE_RAW: (string | Buffer)[] = [
  '',
  'null',
  '[]',
  '"just a string"',
  '{"id": ',
  deep(100_000),
  deepObject(5_000),
  '{"__proto__": {"admin": true}, "id": "x", "type": "t", "customer": {"externalId": "p"}}',
  '{"constructor": {"prototype": {"admin": true}}}',
  '{"id": "x\\u0000y", "type": "t", "customer": {"externalId": "nul"}}',
  '{"id": "x", "type": "t", "customer": {"externalId": "\\ud800"}, "properties": {"k\\u0000": 1}}',
  Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
  `{"name": "${'x'.repeat(500_000)}"}`,
  '{"id": "1; drop table customers; --", "type": "t\' or 1=1 --", "customer": {"email": "a@b.c\' or \'1\'=\'1"}}',
  '{"total": 1e400, "limit": -1, "offset": 1e308}',
  '{"rule": {"field": "customer.attributes.x\'); drop table customers; --", "op": "eq", "value": "\'"}}',
  '{"rule": {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"segment": "x"}}}}}}}}}}}}',
  '{"name": "p", "rule": {"field": "customer.constructor", "op": "exists"}}',
  '{"name": "p", "rule": {"any": [{"field": "customer.attributes.__proto__", "op": "eq", "value": 1}]}}',
  '{"events": [1, 2, 3]}',
  '{"id": "y0", "type": "t", "occurredAt": "0000-01-01T00:00:00Z", "customer": {"externalId": "y0", "birthday": "0000-01-01"}}',
  '{"events": [{"id": "y1", "type": "t", "customer": {"externalId": "y1"}, "order": {"externalId": "o", "total": 1, "placedAt": "0000-01-01T00:00:00Z", "deliveredAt": "9999-12-31T23:59:59Z"}}]}',
  '{"graph": {"nodes": "x", "edges": null}}',
];

const PARAM_VALUES = fc.oneof(
  fc.constant('00000000-0000-0000-0000-000000000000'),
  fc.uuid(),
  fc.constantFrom(
    "1' or '1'='1",
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    'x'.repeat(5000),
    '-1',
    '1e400',
    '%F0%28%8C%BC',
    '__proto__',
  ),
  fc.string({ maxLength: 50 }).map(encodeURIComponent),
);

const QUERY = fc.dictionary(
  fc.constantFrom(
    'q',
    'limit',
    'offset',
    'from',
    'to',
    'version',
    'status',
    'journeyId',
    'customerId',
    '__proto__',
  ),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('-1', '1e309', "'; drop table x;--", 'NaN', '%00', '999999999999'),
    fc.constantFrom('0000-01-01T00:00:00Z', '0000-01-01', '2026-02-30T00:00:00Z', '9999-12-31T23:59:59Z'),
  ),
);

async function attempt(
  method: string,
  path: string,
  param: string,
  query: Record<string, string>,
  body: string | Buffer | undefined,
) {
  const url = `${path.replace(/\{[^}]+\}/g, param)}?${new URLSearchParams(query).toString()}`;
  const before = await fingerprint(h.t.db);
  const res = await h.app.inject({
    method: method as 'POST',
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined || method === 'GET' || method === 'DELETE' ? {} : { payload: body }),
  });
  expect(res.statusCode, `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(await fingerprint(h.t.db), `${method} ${url} was rejected but changed data`).toEqual(before);
  }
}

describe('fuzz', () => {
  it('hostile raw payloads on every route: 4xx, nothing changes', async () => {
    for (const { method, path } of routes) {
      for (const raw of HOSTILE_RAW)
        await attempt(method, path, '00000000-0000-0000-0000-000000000000', {}, raw);
    }
  }, 300_000);

  it('prototype keys in rule fields: 400 naming the condition, nothing stored', async () => {
    const proto = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
    const tail = fc.constantFrom('', '.x', '[0]');
    // Typed roots know their fields, so any inherited name is unknown; attributes are free-form (an
    // attribute may be called "toString"), but never `__proto__`, `constructor` or `prototype`.
    const field = fc.oneof(
      fc
        .tuple(fc.constantFrom('customer', 'customer.stats', 'order'), fc.constantFrom(...proto), tail)
        .map(([root, k, rest]) => `${root}.${k}${rest}`),
      fc
        .tuple(
          fc.constantFrom('customer.attributes', 'customer.attributes.x', 'customer.consent'),
          fc.constantFrom(...proto.slice(0, 3)),
          tail,
        )
        .map(([root, k, rest]) => `${root}.${k}${rest}`),
    );
    const op = fc.constantFrom('eq', 'neq', 'gt', 'contains', 'exists', 'in', 'is_true');
    // Every leaf names a prototype key, so every rule must be refused whatever its shape.
    const rule = fc.letrec((tie) => ({
      rule: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ field, op, value: fc.jsonValue({ maxDepth: 1 }) }),
        fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ not: tie('rule') }),
      ),
    })).rule;
    await fc.assert(
      fc.asyncProperty(rule, fc.constantFrom('/v1/segments/preview', '/v1/segments'), async (r, url) => {
        const before = await fingerprint(h.t.db);
        const res = await h.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${key}` },
          payload: { name: 'p', rule: r },
        });
        expect(res.statusCode, `${url} ${JSON.stringify(r)} → ${res.body.slice(0, 300)}`).toBe(400);
        // A `__proto__` key anywhere in the body (a generated value may have one) makes the JSON parser
        // refuse the whole body before any rule is read; otherwise the condition is named.
        expect(res.json()).toMatchObject(
          JSON.stringify(r).includes('"__proto__":')
            ? { code: 'malformed_json' }
            : { code: 'rule.unknown_field', field: expect.stringMatching(/^body\.rule\b.*\.field$/) },
        );
        expect(await fingerprint(h.t.db)).toEqual(before);
      }),
      { numRuns: 150 },
    );
  }, 300_000);

  it('random JSON, params and queries on every route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        PARAM_VALUES,
        QUERY,
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }),
          // fc.stringify: String() throws on null-prototype objects and odd toString keys.
          fc.anything({ maxDepth: 4 }).map((v) => ({ value: fc.stringify(v) })),
        ),
        async (route, param, query, body) =>
          attempt(route.method, route.path, param, query, JSON.stringify(body)),
      ),
      { numRuns: 400 },
    );
  }, 300_000);

  it('correctly signed but malformed provider webhooks: 4xx or ignored, never a 5xx', async () => {
    const send = async (opts: ReturnType<typeof signedResend>) => {
      const res = await h.app.inject(opts);
      expect(
        res.statusCode,
        `${opts.url} ${String(opts.payload).slice(0, 200)} → ${res.body.slice(0, 300)}`,
      ).toBeLessThan(500);
      if (res.statusCode >= 400) expect(res.json()).toMatchObject({ code: expect.any(String) });
    };
    const resend = (raw: string) =>
      send(signedResend('/webhooks/resend', channels.resendWebhookSecret!, raw));
    const twilio = (path: string, params: Record<string, string>) =>
      send(signedTwilio(channels.publicUrl, path, channels.twilio!.authToken, params));
    const malformed = [
      '{"type":"email.bounced"}',
      '{"type":"email.bounced","data":null}',
      '{"type":"email.bounced","data":[]}',
      '{"type":"constructor","data":{"email_id":"x"}}',
      '{"type":"email.delivered","created_at":"0000-01-01T00:00:00Z","data":{"email_id":"x"}}',
    ];
    for (const raw of [...HOSTILE_RAW.filter((b) => typeof b === 'string'), ...malformed]) await resend(raw);
    const field = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'constructor',
        'toString',
        '__proto__',
        'a\u0000b',
        'x'.repeat(5000),
        'delivered',
        'STOP',
        '30006',
      ),
    );
    const params = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'MessageSid',
          'MessageStatus',
          'ErrorCode',
          'From',
          'Body',
          '__proto__',
          'constructor',
        ),
        fc.string(),
      ),
      field,
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), params, async (json, form) => {
        await resend(JSON.stringify(json));
        await resend(JSON.stringify({ type: 'email.bounced', data: json }));
        await twilio('/webhooks/twilio/status', form);
        await twilio('/webhooks/twilio/inbound', form);
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});
