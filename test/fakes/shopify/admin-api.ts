import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for Shopify's Admin GraphQL API, speaking its documented shapes: POST
// /admin/api/<version>/graphql.json with X-Shopify-Access-Token, `{ query, variables }` in, `{ data }`
// or `{ errors }` out. It knows the queries the connector sends, by the operation they contain.

/** One subscription the fake holds, as webhookSubscriptionCreate made it. */
export interface FakeSubscription {
  id: string;
  topic: string;
  uri: string;
}

/** The running fake. */
export interface FakeShopifyAdmin {
  /** Origin to put in HOURGLASS_SHOPIFY_API_BASE (`http://127.0.0.1:<port>`). */
  url: string;
  port: number;
  /** Webhook subscriptions made so far. */
  subscriptions: FakeSubscription[];
  /** Every request: path, token and operation, for assertions. */
  requests: { path: string; token: string | undefined; query: string }[];
  /** Topics whose registration the fake refuses, as a token without the scope would. */
  refuseTopics: Set<string>;
  close(): Promise<void>;
}

/** Starts the fake; `tokens` are the access tokens it accepts. */
export async function startFakeShopifyAdmin(opts: {
  shopName: string;
  tokens: string[];
}): Promise<FakeShopifyAdmin> {
  const subscriptions: FakeSubscription[] = [];
  const requests: FakeShopifyAdmin['requests'] = [];
  const refuseTopics = new Set<string>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const token = req.headers['x-shopify-access-token'] as string | undefined;
    let body: { query?: string; variables?: Record<string, unknown> } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return send(400, { errors: 'Bad Request' });
    }
    requests.push({ path: req.url ?? '', token, query: body.query ?? '' });
    if (req.method !== 'POST' || !/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(req.url ?? ''))
      return send(404, { errors: 'Not Found' });
    // Shopify answers a bad token with 401 and a plain errors string.
    if (!token || !opts.tokens.includes(token))
      return send(401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    const query = body.query ?? '';
    if (/webhookSubscriptionCreate\s*\(/.test(query)) {
      const topic = String(body.variables?.topic ?? '');
      const input = (body.variables?.webhookSubscription ?? {}) as { uri?: string };
      const uri = String(input.uri ?? '');
      if (refuseTopics.has(topic))
        return send(200, {
          data: { webhookSubscriptionCreate: { webhookSubscription: null, userErrors: [] } },
          errors: [
            {
              message: `Access denied for webhookSubscriptionCreate field.`,
              extensions: { code: 'ACCESS_DENIED' },
            },
          ],
        });
      if (subscriptions.some((s) => s.topic === topic && s.uri === uri))
        return send(200, {
          data: {
            webhookSubscriptionCreate: {
              webhookSubscription: null,
              userErrors: [
                {
                  field: ['webhookSubscription', 'callbackUrl'],
                  message: 'Address for this topic has already been taken',
                },
              ],
            },
          },
        });
      const sub = { id: `gid://shopify/WebhookSubscription/${subscriptions.length + 1}`, topic, uri };
      subscriptions.push(sub);
      return send(200, {
        data: { webhookSubscriptionCreate: { webhookSubscription: { id: sub.id }, userErrors: [] } },
      });
    }
    if (/\bshop\s*\{/.test(query)) return send(200, { data: { shop: { name: opts.shopName } } });
    return send(200, {
      errors: [{ message: 'Field does not exist', extensions: { code: 'undefinedField' } }],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    subscriptions,
    requests,
    refuseTopics,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
