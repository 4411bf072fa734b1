import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// `GET /v1/customers/lookup?externalId=`: one customer by the shop's own id, exactly, in the caller's
// workspace only; hostile ids get a 400 naming the parameter, never a 500.

let h: Harness;
let mine: Awaited<ReturnType<typeof seedTenant>>;
let theirs: Awaited<ReturnType<typeof seedTenant>>;

const lookup = (key: string, externalId: string | string[] | undefined) =>
  h.app.inject(
    withKey(key, {
      method: 'GET',
      url: '/v1/customers/lookup',
      query: externalId === undefined ? {} : { externalId },
    }),
  );

const ingest = async (key: string, externalId: string) => {
  const res = await h.app.inject(
    withKey(key, { method: 'POST', url: '/v1/events', payload: orderEvent(externalId, 10) }),
  );
  expect(res.statusCode).toBe(202);
};

beforeAll(async () => {
  h = await harness('api_customers_lookup');
  mine = await seedTenant(h.t.db, 'Lookup shop');
  theirs = await seedTenant(h.t.db, 'Other shop');
  await ingest(mine.keys.ingest, 'cus_1');
  await ingest(mine.keys.ingest, 'cus_10');
  await ingest(mine.keys.ingest, 'gid://shopify/Customer/7391?x=1&y=#2 é');
  await ingest(mine.keys.ingest, 'x'.repeat(200));
  await ingest(theirs.keys.ingest, 'theirs_only');
  await ingest(theirs.keys.ingest, 'cus_1');
});
afterAll(async () => h?.close());

describe('customer lookup by external id', () => {
  it('finds exactly the customer with that id (no prefix or case match), with the read scope', async () => {
    const res = await lookup(mine.keys.read, 'cus_1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ externalId: 'cus_1', email: 'cus_1@example.com' });
    expect((await lookup(mine.keys.read, 'cus_10')).json().externalId).toBe('cus_10');
    for (const near of ['cus_', 'CUS_1', 'cus_1%', 'cus_%']) {
      const miss = await lookup(mine.keys.read, near);
      expect(miss.statusCode, near).toBe(404);
      expect(miss.json(), near).toMatchObject({ code: 'not_found' });
    }
  });

  it('takes any id that fits, URL-encoded: slashes, query characters, unicode, 200 characters', async () => {
    for (const id of ['gid://shopify/Customer/7391?x=1&y=#2 é', 'x'.repeat(200)]) {
      const res = await lookup(mine.keys.read, id);
      expect(res.statusCode).toBe(200);
      expect(res.json().externalId).toBe(id);
    }
  });

  it("never finds another workspace's customer", async () => {
    const res = await lookup(mine.keys.read, 'theirs_only');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: 'Customer not found' });
    // The same external id in both workspaces: each sees its own.
    const a = (await lookup(mine.keys.read, 'cus_1')).json();
    const b = (await lookup(theirs.keys.read, 'cus_1')).json();
    expect(a.id).not.toBe(b.id);
  });

  it('answers 400 naming the parameter for ids that cannot exist', async () => {
    const cases: Array<[string | string[] | undefined, string]> = [
      [undefined, 'missing'],
      ['', 'empty'],
      ['x'.repeat(201), 'over 200 characters'],
      ['y'.repeat(100_000), 'far over'],
      [' cus_1', 'leading space'],
      ['cus_1\n', 'trailing newline'],
      ['cus\u00001', 'NUL'],
      [['cus_1', 'cus_10'], 'given twice'],
    ];
    for (const [id, why] of cases) {
      const res = await lookup(mine.keys.read, id);
      expect(res.statusCode, why).toBe(400);
      expect(res.json(), why).toMatchObject({ code: 'invalid_request', field: 'querystring.externalId' });
    }
  });

  it('needs the read permission', async () => {
    expect((await lookup(mine.keys.ingest, 'cus_1')).statusCode).toBe(403);
    const anonymous = await h.app.inject({ method: 'GET', url: '/v1/customers/lookup?externalId=cus_1' });
    expect(anonymous.statusCode).toBe(401);
  });
});
