import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// GET / PUT /v1/workspace/channels: per-workspace Resend and Twilio settings, secrets write-only
// and encrypted at rest, admins only, audit-logged without secrets.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const SID = `AC${'a1b2c3d4'.repeat(4)}`;
const API_KEY = 're_live_secret_key_ABCD1234';
const WEBHOOK = 'whsec_c2lnbmluZy1zZWNyZXQtb2Ytd29ya3NwYWNlLWE=';
const TOKEN = 'twilio_auth_token_WXYZ9876';

beforeAll(async () => {
  h = await harness('api_channel_settings', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Chan A');
  b = await seedTenant(h.t.db, 'Chan B');
});
afterAll(async () => h?.close());

const get = (key: string) => h.app.inject(withKey(key, { method: 'GET', url: '/v1/workspace/channels' }));
const put = (key: string, payload: object) =>
  h.app.inject(withKey(key, { method: 'PUT', url: '/v1/workspace/channels', payload }));
const full = {
  email: {
    apiKey: API_KEY,
    from: 'Chan A <hi@chan-a.test>',
    replyTo: 'help@chan-a.test',
    webhookSecret: WEBHOOK,
  },
  sms: { accountSid: SID, authToken: TOKEN, from: '+15550002222' },
};

describe('provider settings', () => {
  it('starts on the outbox with nothing set', async () => {
    const res = await get(a.keys.read);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      email: { provider: 'outbox', source: 'outbox', from: null, apiKey: { set: false, hint: null } },
      sms: { provider: 'outbox', source: 'outbox', accountSid: null, authToken: { set: false, hint: null } },
    });
  });

  it('stores settings, shows secrets only as set + last four, and never returns them', async () => {
    const res = await put(a.keys.admin, full);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.email).toMatchObject({
      provider: 'resend',
      source: 'workspace',
      from: 'Chan A <hi@chan-a.test>',
      replyTo: 'help@chan-a.test',
      apiKey: { set: true, hint: '••••1234' },
      webhookSecret: { set: true, hint: '••••LWE=' },
      webhookUrl: `http://hourglass.test/webhooks/resend/${a.workspace.id}`,
    });
    expect(view.sms).toMatchObject({
      provider: 'twilio',
      source: 'workspace',
      accountSid: SID,
      from: '+15550002222',
      authToken: { set: true, hint: '••••9876' },
      statusCallbackUrl: `http://hourglass.test/webhooks/twilio/${a.workspace.id}/status`,
    });
    const again = (await get(a.keys.read)).body;
    for (const body of [res.body, again])
      for (const secret of [API_KEY, WEBHOOK, TOKEN]) expect(body).not.toContain(secret);
    // The workspace settings summary agrees.
    const summary = (
      await h.app.inject(withKey(a.keys.read, { method: 'GET', url: '/v1/workspace/settings' }))
    ).json();
    expect(summary.channels).toEqual({
      email: { provider: 'resend', configured: true },
      sms: { provider: 'twilio', configured: true },
    });
  });

  it('keeps secrets encrypted at rest', async () => {
    const { rows } = await h.t.pool.query('select * from channel_settings where workspace_id = $1', [
      a.workspace.id,
    ]);
    expect(rows).toHaveLength(2);
    const raw = JSON.stringify(rows);
    for (const secret of [API_KEY, WEBHOOK, TOKEN, 'c2lnbmluZy1zZWNyZXQ']) expect(raw).not.toContain(secret);
    for (const row of rows) expect(row.secret_ciphertext).toMatch(/^v1\./);
    expect(raw).toContain('hi@chan-a.test'); // plain settings are plain
  });

  it('keeps omitted fields, replaces given ones, and clears those sent as null', async () => {
    const kept = await put(a.keys.admin, { email: { from: 'Chan A <news@chan-a.test>' } });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().email).toMatchObject({
      source: 'workspace',
      from: 'Chan A <news@chan-a.test>',
      replyTo: 'help@chan-a.test',
      apiKey: { set: true, hint: '••••1234' },
      webhookSecret: { set: true },
    });
    const noReplyTo = await put(a.keys.admin, { email: { replyTo: null } });
    expect(noReplyTo.json().email).toMatchObject({ from: 'Chan A <news@chan-a.test>', replyTo: null });
    // The SMS section was not sent: unchanged.
    expect(kept.json().sms).toMatchObject({ accountSid: SID, authToken: { set: true } });

    const replaced = await put(a.keys.admin, {
      email: { apiKey: 're_other_key_00005678', from: 'x@chan-a.test' },
    });
    expect(replaced.json().email.apiKey).toEqual({ set: true, hint: '••••5678' });

    const cleared = await put(a.keys.admin, {
      email: { apiKey: null, from: 'x@chan-a.test' },
      sms: { accountSid: SID, authToken: null, from: '+15550002222' },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({
      email: { provider: 'outbox', source: 'outbox', apiKey: { set: false }, webhookSecret: { set: true } },
      sms: { provider: 'outbox', source: 'outbox', accountSid: SID, authToken: { set: false, hint: null } },
    });
  });

  it('lets owners and admin keys change settings; editors-level keys and viewers only read', async () => {
    const viewer = await login(h.app, a.viewer.email);
    const asViewer = await h.app.inject({ method: 'GET', url: '/v1/workspace/channels', headers: viewer });
    expect(asViewer.statusCode).toBe(200);
    const viewerPut = await h.app.inject({
      method: 'PUT',
      url: '/v1/workspace/channels',
      headers: viewer,
      payload: { email: { apiKey: 're_hijack_1234567890' } },
    });
    expect(viewerPut.statusCode).toBe(403);
    expect((await put(a.keys.write, { email: { apiKey: 're_hijack_1234567890' } })).statusCode).toBe(403);
    expect((await put(a.keys.read, { email: { apiKey: 're_hijack_1234567890' } })).statusCode).toBe(403);
    expect((await get(a.keys.read)).json().email.apiKey.set).toBe(false);

    const owner = await login(h.app, a.owner.email);
    const ownerPut = await h.app.inject({
      method: 'PUT',
      url: '/v1/workspace/channels',
      headers: owner,
      payload: { email: { apiKey: 're_owner_key_4321abcd', from: 'owner@chan-a.test' } },
    });
    expect(ownerPut.statusCode).toBe(200);
    expect(ownerPut.json().email.apiKey).toEqual({ set: true, hint: '••••abcd' });
  });

  it('answers 400 with the field at fault', async () => {
    const cases: [object, string][] = [
      [{ email: { from: 'not an address' } }, 'body.email.from'],
      [{ email: { replyTo: 'nope' } }, 'body.email.replyTo'],
      [{ email: { apiKey: '' } }, 'body.email.apiKey'],
      [{ email: { baseUrl: 'ftp://x' } }, 'body.email.baseUrl'],
      [{ email: { webhookSecret: 'plain-secret' } }, 'body.email.webhookSecret'],
      [{ sms: { accountSid: 'AC123' } }, 'body.sms.accountSid'],
      // Merged with what is stored, the account would have no sender left.
      [{ sms: { from: null } }, 'body.sms.from'],
      [{ sms: { accountSid: SID, from: '555-1234' } }, 'body.sms.from'],
      [{ sms: { messagingServiceSid: 'XX1' } }, 'body.sms.messagingServiceSid'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(a.keys.admin, payload);
      expect([field, res.statusCode, res.json().code, res.json().field]).toEqual([
        field,
        400,
        'invalid_request',
        field,
      ]);
    }
    // Rejected in full: the valid parts of a bad request changed nothing either.
    expect((await get(a.keys.read)).json().sms).toMatchObject({ accountSid: SID, from: '+15550002222' });
  });

  it('audit-logs changes without secrets', async () => {
    const res = await h.app.inject(withKey(a.keys.admin, { method: 'GET', url: '/v1/audit' }));
    const entries = (res.json() as { action: string; details: Record<string, unknown> }[]).filter(
      (e) => e.action === 'workspace.channels',
    );
    expect(entries.length).toBeGreaterThanOrEqual(5);
    const body = JSON.stringify(entries);
    for (const secret of [API_KEY, WEBHOOK, TOKEN, 're_other_key_00005678', 're_owner_key_4321abcd'])
      expect(body).not.toContain(secret);
    expect(entries.some((e) => JSON.stringify(e.details).includes('"apiKey":"cleared"'))).toBe(true);
  });

  it('answers 409 when stored secrets no longer decrypt, and saving them again repairs it', async () => {
    const c = await seedTenant(h.t.db, 'Chan C');
    expect((await put(c.keys.admin, full)).statusCode).toBe(200);
    // What a changed HOURGLASS_SECRET_KEY looks like: ciphertext that no longer opens.
    await h.t.pool.query(
      "update channel_settings set secret_ciphertext = 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' where workspace_id = $1 and provider = 'twilio'",
      [c.workspace.id],
    );
    const broken = await get(c.keys.read);
    expect(broken.statusCode).toBe(409);
    expect(broken.json()).toMatchObject({ code: 'provider_secrets_unreadable' });
    expect(broken.json().message).toMatch(/twilio.*HOURGLASS_SECRET_KEY/);
    const fixed = await put(c.keys.admin, { sms: { authToken: 'new_auth_token_55556666' } });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().sms).toMatchObject({ accountSid: SID, authToken: { set: true, hint: '••••6666' } });
  });

  it("never shows one workspace's settings to another", async () => {
    const res = await get(b.keys.all);
    expect(res.json()).toMatchObject({
      email: { source: 'outbox', from: null, apiKey: { set: false } },
      sms: { source: 'outbox', accountSid: null, authToken: { set: false } },
    });
    expect(res.body).not.toContain(a.workspace.id);
  });
});
