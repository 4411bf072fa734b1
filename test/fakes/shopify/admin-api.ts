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
  /** What the store holds, as the Admin GraphQL API returns it (Customer and Order nodes). */
  customers: Record<string, unknown>[];
  orders: (Record<string, unknown> & { createdAt: string })[];
  /** The query-cost bucket, as Shopify's `extensions.cost.throttleStatus` reports it. */
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  /** Cost of one page query (Shopify's requestedQueryCost). */
  pageCost: number;
  /** THROTTLED answers given so far. */
  throttledAnswers: number;
  /** Empties the bucket now, as another app sharing the store's limit would. */
  drain(): void;
  /** Code discounts made with discountCodeBasicCreate, by code (the input as sent). */
  discounts: Map<string, Record<string, unknown>>;
  /** discountCodeBasicCreate calls that fail with HTTP 503 before reaching the store (flaky network). */
  failDiscountCreates: number;
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
  const state = {
    customers: [] as Record<string, unknown>[],
    orders: [] as (Record<string, unknown> & { createdAt: string })[],
    bucket: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 },
    pageCost: 100,
    throttledAnswers: 0,
    discounts: new Map<string, Record<string, unknown>>(),
    failDiscountCreates: 0,
  };
  let refilledAt = Date.now();
  // Shopify's leaky bucket: points restore continuously; a query it cannot pay for is THROTTLED.
  const charge = (cost: number) => {
    const b = state.bucket;
    const now = Date.now();
    b.currentlyAvailable = Math.min(
      b.maximumAvailable,
      b.currentlyAvailable + ((now - refilledAt) / 1000) * b.restoreRate,
    );
    refilledAt = now;
    const status = () => ({ ...b, currentlyAvailable: Math.floor(b.currentlyAvailable) });
    if (b.currentlyAvailable < cost) {
      state.throttledAnswers++;
      return {
        ok: false as const,
        cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: status() },
      };
    }
    b.currentlyAvailable -= cost;
    return {
      ok: true as const,
      cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: status() },
    };
  };
  const page = <T>(all: T[], first: number, after: unknown) => {
    const start = typeof after === 'string' ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const nodes = all.slice(start, start + first);
    const end = start + nodes.length;
    return {
      pageInfo: {
        hasNextPage: end < all.length,
        endCursor: nodes.length ? Buffer.from(String(end)).toString('base64url') : null,
      },
      nodes,
    };
  };
  // Shopify's search syntax, as far as the connector uses it: `created_at:>=…` or `updated_at:>=…`.
  const createdSince = (query: unknown) => {
    const m = /(created_at|updated_at):>=(\S+)/.exec(String(query ?? ''));
    if (!m) return state.orders;
    const since = Date.parse(m[2] ?? '');
    const field = m[1] === 'created_at' ? 'createdAt' : 'updatedAt';
    return state.orders.filter((o) => Date.parse(String(o[field])) >= since);
  };
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
    const v = body.variables ?? {};
    if (/codeDiscountNodeByCode\s*\(/.test(query)) {
      const found = state.discounts.get(String(v.code ?? ''));
      return send(200, { data: { codeDiscountNodeByCode: found ? { id: found.id } : null } });
    }
    if (/discountCodeBasicCreate\s*\(/.test(query)) {
      const input = (v.basicCodeDiscount ?? {}) as Record<string, unknown>;
      const code = String(input.code ?? '');
      if (state.discounts.has(code))
        return send(200, {
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [
                {
                  field: ['basicCodeDiscount', 'code'],
                  code: 'TAKEN',
                  message: 'Code must be unique. Please try a different code.',
                },
              ],
            },
          },
        });
      const id = `gid://shopify/DiscountCodeNode/${state.discounts.size + 1}`;
      state.discounts.set(code, { ...input, id });
      // The discount is made, but the answer is lost on the way back: the caller must not make another.
      if (state.failDiscountCreates > 0) {
        state.failDiscountCreates--;
        return send(503, { errors: 'Service Unavailable' });
      }
      return send(200, { data: { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } } });
    }
    const paged = (compute: () => unknown) => {
      const bill = charge(state.pageCost);
      if (!bill.ok)
        return send(200, {
          errors: [
            {
              message: 'Throttled',
              extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: { cost: bill.cost },
        });
      return send(200, { data: compute(), extensions: { cost: bill.cost } });
    };
    if (/\bordersCount\s*\(/.test(query))
      return paged(() => ({ ordersCount: { count: createdSince(v.query).length, precision: 'EXACT' } }));
    if (/\borders\s*\(/.test(query))
      return paged(() => ({ orders: page(createdSince(v.query), 100, v.cursor) }));
    if (/\bcustomers\s*\(/.test(query))
      return paged(() => ({ customers: page(state.customers, 250, v.cursor) }));
    return send(200, {
      errors: [{ message: 'Field does not exist', extensions: { code: 'undefinedField' } }],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    port,
    subscriptions,
    requests,
    refuseTopics,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    drain: () => {
      state.bucket.currentlyAvailable = 0;
      refilledAt = Date.now();
    },
  });
}
