import { createSender } from '@hourglass/channels';
import { createUser, getCustomer, setMembership } from '@hourglass/db';
import { hashPassword } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, emailRequest, testConfig } from '../channels/helpers';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// What admins and support see and do: the audit log filtered by actor and action, a customer's
// consent changed by support (audited with the reason, honoured by the next send), API keys with a
// note, last use and revocation.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const config = testConfig();
beforeAll(async () => {
  h = await harness('api_account_audit', { channels: config });
  a = await seedTenant(h.t.db, 'Audit A');
  b = await seedTenant(h.t.db, 'Audit B');
});
afterAll(async () => h?.close());

type Headers = Awaited<ReturnType<typeof login>>;
const get = (url: string, headers: Headers) =>
  h.app.inject({ method: 'GET', url, headers: { cookie: headers.cookie } });
const audit = async (query: string, headers: Headers) => {
  const res = await get(`/v1/audit?${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; actor: string; action: string; reason: string | null }[];
};

/** A support teammate of the tenant, signed in. */
async function supportSession(t: typeof a) {
  const user = await createUser(h.t.db, {
    email: `support-${t.workspace.slug}@example.com`,
    passwordHash: await hashPassword('correct horse'),
  });
  await setMembership(h.t.db, t.workspace.id, user.id, 'support');
  return { user, headers: await login(h.app, user.email) };
}

describe('audit log filters', () => {
  it('filters by part of the actor and by action or action family, pages by keyset', async () => {
    const owner = await login(h.app, a.owner.email);
    await login(h.app, a.viewer.email);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: owner,
      payload: { name: 'Audit key', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (await h.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: owner })).statusCode,
    ).toBe(200);

    const byViewer = await audit('actor=VIEWER-', owner);
    expect(byViewer.map((e) => [e.actor, e.action])).toEqual([[`user:${a.viewer.email}`, 'auth.login']]);
    const family = await audit('action=api_key', owner);
    expect(family.map((e) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
    const exact = await audit(`action=api_key.revoke&actor=${encodeURIComponent(a.owner.email)}`, owner);
    expect(exact.map((e) => e.action)).toEqual(['api_key.revoke']);
    expect(await audit('actor=%25', owner)).toEqual([]); // LIKE wildcards are literal
    expect(await audit('action=api', owner)).toEqual([]); // a family is a whole dotted prefix

    const all = await audit('limit=500', owner);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const pages: string[] = [];
    let before = '';
    for (;;) {
      const page = await audit(`limit=1${before ? `&before=${before}` : ''}`, owner);
      if (page.length === 0) break;
      pages.push(page[0]!.id);
      before = page[0]!.id;
    }
    expect(pages).toEqual(all.map((e) => e.id));
  });

  it('refuses a cursor from another workspace, a malformed action and non-admins', async () => {
    const owner = await login(h.app, a.owner.email);
    const other = await audit('limit=1', await login(h.app, b.owner.email));
    const foreign = await get(`/v1/audit?before=${other[0]!.id}`, owner);
    expect([foreign.statusCode, foreign.json()]).toMatchObject([
      400,
      { code: 'invalid_cursor', field: 'querystring.before' },
    ]);
    const bad = await get('/v1/audit?action=API%20KEY', owner);
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'querystring.action']);
    expect((await get('/v1/audit', await login(h.app, a.viewer.email))).statusCode).toBe(403);
  });
});

describe('consent changed by support', () => {
  it('needs support, stays in the workspace, is audited with the reason and suppresses later marketing', async () => {
    const customer = await addCustomer(h.t.db, a.workspace.id, { email: 'cara@example.com' });
    const send = createSender({ db: h.t.db, config });
    expect((await send.send(emailRequest(a.workspace.id, customer))).status).toBe('sent');
    const patch = (headers: Headers, payload: object, id = customer.id) =>
      h.app.inject({ method: 'PATCH', url: `/v1/customers/${id}/consent`, headers, payload });
    const body = { email: 'unsubscribed', reason: 'Asked by phone to stop promotions' };

    expect((await patch(await login(h.app, a.viewer.email), body)).statusCode).toBe(403);
    const otherSupport = await supportSession(b);
    const foreign = await patch(otherSupport.headers, body);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'not_found']);
    expect((await getCustomer(h.t.db, a.workspace.id, customer.id))?.consent.email).toBe('subscribed');

    const support = await supportSession(a);
    for (const [payload, field] of [
      [{ email: 'unsubscribed' }, 'body.reason'],
      [{ reason: 'nothing to change' }, 'body.email'],
      [{ email: 'unknown', reason: 'x' }, 'body.email'],
    ] as const) {
      const res = await patch(support.headers, payload);
      expect([res.statusCode, res.json().field]).toEqual([400, field]);
    }
    const res = await patch(support.headers, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().consent).toEqual({ email: 'unsubscribed', sms: 'subscribed' });

    const [entry] = await audit('action=customer.consent', await login(h.app, a.owner.email));
    expect(entry).toMatchObject({
      actor: `user:${support.user.email}`,
      action: 'customer.consent',
      target: customer.id,
      reason: 'Asked by phone to stop promotions',
      details: { before: { email: 'subscribed' }, after: { email: 'unsubscribed' } },
    });

    const later = await send.send(emailRequest(a.workspace.id, customer));
    expect([later.status, later.reason]).toEqual(['suppressed', 'suppressed_unsubscribed']);
    // An order confirmation still goes: the opt-out is about marketing.
    const receipt = await send.send(emailRequest(a.workspace.id, customer, { transactional: true }));
    expect(receipt.status).toBe('sent');

    const back = await patch(support.headers, { email: 'subscribed', reason: 'Opted back in by chat' });
    expect(back.json().consent.email).toBe('subscribed');
    // No longer suppressed: only the frequency cap of the first message holds this one back.
    const resumed = await send.send(emailRequest(a.workspace.id, customer));
    expect([resumed.status, resumed.reason]).toEqual(['skipped', 'capped']);
  });
});

describe('API keys', () => {
  it('keeps the note, shows last use, and lists a revoked key as revoked while it answers 401', async () => {
    const owner = await login(h.app, a.owner.email);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: owner,
      payload: { name: 'Warehouse', scopes: ['read'], note: 'Nightly stock sync' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    expect(created.json()).toMatchObject({ note: 'Nightly stock sync', revokedAt: null, lastUsedAt: null });
    const use = () => h.app.inject(withKey(key, { method: 'GET', url: '/v1/journeys' }));
    expect((await use()).statusCode).toBe(200);

    const listed = async () => {
      const res = await get('/v1/api-keys', owner);
      expect(res.statusCode).toBe(200);
      return (
        res.json() as { id: string; note: string; lastUsedAt: string | null; revokedAt: string | null }[]
      ).find((k) => k.id === id);
    };
    // Last use is recorded off the request path.
    let row = await listed();
    for (let i = 0; i < 50 && !row?.lastUsedAt; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await listed();
    }
    expect(row).toMatchObject({ note: 'Nightly stock sync', revokedAt: null });
    expect(row?.lastUsedAt).toBeTruthy();

    const revoked = await h.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: owner });
    expect(revoked.json().revokedAt).toBeTruthy();
    expect(await listed()).toMatchObject({ note: 'Nightly stock sync', revokedAt: revoked.json().revokedAt });
    const refused = await use();
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'invalid_api_key']);
  });
});
