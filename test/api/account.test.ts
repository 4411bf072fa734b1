import { listSystemEmailsTo } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type Emulator, emulatorPolicy, startEmulator } from '../emulator/server';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// The signed-in user's own account: change password, forgotten-password reset by an emailed single-use
// link (the outbox, or a workspace's own Resend account on the provider emulator), sign out everywhere.

let h: Harness;
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
  h = await harness('api_account', {
    channels: testConfig(undefined, { outbound: emulatorPolicy(emu.url) }),
  });
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});

type Headers = Awaited<ReturnType<typeof login>>;
const post = (url: string, payload?: object, headers?: Headers, remoteAddress?: string) =>
  h.app.inject({ method: 'POST', url, headers, remoteAddress, ...(payload ? { payload } : {}) });
const me = (headers: Headers) =>
  h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: headers.cookie } });
const loginStatus = async (email: string, password: string) =>
  (await post('/v1/auth/login', { email, password })).statusCode;

/** The reset emails the outbox holds for this address (they leave after the 202), newest first. */
async function resetEmails(to: string, atLeast = 1) {
  for (let i = 0; i < 100; i++) {
    const rows = await listSystemEmailsTo(h.t.db, to, { kind: 'password_reset' });
    if (rows.length >= atLeast) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no reset email to ${to}`);
}
const tokenIn = (text: string | null) =>
  /http:\/\/hourglass\.test\/reset\/([A-Za-z0-9_-]{43})\b/.exec(text ?? '')?.[1];

/** Asks for a reset link and returns its token, read from the outbox. */
async function resetToken(email: string): Promise<string> {
  const before = (await listSystemEmailsTo(h.t.db, email, { kind: 'password_reset' })).length;
  expect((await post('/v1/auth/forgot', { email })).statusCode).toBe(202);
  const [latest] = await resetEmails(email, before + 1);
  const token = tokenIn(latest!.bodyText);
  if (!token) throw new Error(`no link in ${latest!.bodyText}`);
  return token;
}

describe('change password', () => {
  it('refuses a wrong current password with the field, and a short new one', async () => {
    const t = await seedTenant(h.t.db, 'Pw wrong');
    const s = await login(h.app, t.owner.email);
    const wrong = await post(
      '/v1/account/password',
      { currentPassword: 'not it', newPassword: 'a long new password' },
      s,
    );
    expect([wrong.statusCode, wrong.json()]).toMatchObject([
      400,
      { code: 'password.wrong', field: 'body.currentPassword' },
    ]);
    const short = await post(
      '/v1/account/password',
      { currentPassword: 'correct horse', newPassword: 'short' },
      s,
    );
    expect([short.statusCode, short.json()]).toMatchObject([
      400,
      { code: 'invalid_request', field: 'body.newPassword' },
    ]);
    expect(await loginStatus(t.owner.email, 'correct horse')).toBe(200);
    const keyed = await h.app.inject({
      method: 'POST',
      url: '/v1/account/password',
      headers: { authorization: `Bearer ${t.keys.all}` },
      payload: { currentPassword: 'correct horse', newPassword: 'a long new password' },
    });
    expect([keyed.statusCode, keyed.json().code]).toEqual([403, 'session_required']);
  });

  it("ends the user's other sessions; this one continues and the new password signs in", async () => {
    const t = await seedTenant(h.t.db, 'Pw change');
    const here = await login(h.app, t.owner.email);
    const elsewhere = await login(h.app, t.owner.email);
    const viewer = await login(h.app, t.viewer.email);
    const res = await post(
      '/v1/account/password',
      { currentPassword: 'correct horse', newPassword: 'battery staple 2025' },
      here,
    );
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true, sessionsEnded: 1 }]);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    expect((await me(viewer)).statusCode).toBe(200); // another person's session is untouched
    expect(await loginStatus(t.owner.email, 'correct horse')).toBe(401);
    expect(await loginStatus(t.owner.email, 'battery staple 2025')).toBe(200);
    const audit = await h.t.pool.query(
      `select actor, action, target from audit_log where workspace_id = $1 and action like 'account.%'`,
      [t.workspace.id],
    );
    expect(audit.rows).toEqual([
      { actor: `user:${t.owner.email}`, action: 'account.password_change', target: t.owner.id },
    ]);
  });
});

describe('forgotten password', () => {
  it('answers 202 for an unknown email and sends nothing', async () => {
    const t = await seedTenant(h.t.db, 'Forgot unknown');
    const unknown = `nobody-${t.workspace.slug}@example.com`;
    const count = async (table: string) =>
      (await h.t.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;
    const [emails, resets] = [await count('system_emails'), await count('password_resets')];
    const res = await post('/v1/auth/forgot', { email: unknown });
    expect([res.statusCode, res.json()]).toEqual([202, { ok: true }]);
    // The known account's email leaves after the unknown one was looked up (same order, same process).
    await resetToken(t.owner.email);
    expect(await listSystemEmailsTo(h.t.db, unknown)).toEqual([]);
    expect([await count('system_emails'), await count('password_resets')]).toEqual([emails + 1, resets + 1]);
  });

  it('emails a link through the outbox; the link works once, then 410 reset.used', async () => {
    const t = await seedTenant(h.t.db, 'Forgot once');
    const s1 = await login(h.app, t.owner.email);
    const s2 = await login(h.app, t.owner.email);
    const token = await resetToken(t.owner.email.toUpperCase());
    const [mail] = await resetEmails(t.owner.email);
    expect(mail).toMatchObject({
      provider: 'outbox',
      status: 'sent',
      workspaceId: t.workspace.id,
      subject: 'Reset your Hourglass password',
    });
    expect(mail!.bodyHtml).toContain(`http://hourglass.test/reset/${token}`);
    const lookup = (tk: string) => h.app.inject({ method: 'GET', url: `/v1/auth/reset/lookup?token=${tk}` });
    expect([(await lookup(token)).statusCode, (await lookup('forged')).json()]).toMatchObject([
      200,
      { code: 'reset.invalid', field: 'querystring.token' },
    ]);
    // Only the hash is stored.
    const stored = await h.t.pool.query('select token_hash from password_resets where token_hash = $1', [
      token,
    ]);
    expect(stored.rowCount).toBe(0);

    const ok = await post('/v1/auth/reset', { token, password: 'a brand new password' });
    expect([ok.statusCode, ok.json()]).toEqual([200, { ok: true, sessionsEnded: 2 }]);
    expect((await me(s1)).statusCode).toBe(401);
    expect((await me(s2)).statusCode).toBe(401);
    expect(await loginStatus(t.owner.email, 'correct horse')).toBe(401);
    expect(await loginStatus(t.owner.email, 'a brand new password')).toBe(200);

    expect((await lookup(token)).json()).toMatchObject({ code: 'reset.used', field: 'querystring.token' });
    const again = await post('/v1/auth/reset', { token, password: 'yet another password' });
    expect([again.statusCode, again.json()]).toMatchObject([
      410,
      { code: 'reset.used', field: 'body.token' },
    ]);
    expect(await loginStatus(t.owner.email, 'a brand new password')).toBe(200);
  });

  it("sends through the email channel of the user's workspace, and keeps no copy of the link", async () => {
    const t = await seedTenant(h.t.db, 'Forgot resend');
    const put = await h.app.inject(
      withKey(t.keys.admin, {
        method: 'PUT',
        url: '/v1/workspace/channels',
        payload: { email: { apiKey: 're_forgot_key_123456', from: 'Shop <hi@shop.test>', baseUrl: emu.url } },
      }),
    );
    expect(put.statusCode).toBe(200);
    expect((await post('/v1/auth/forgot', { email: t.owner.email })).statusCode).toBe(202);
    const [row] = await resetEmails(t.owner.email);
    expect(row).toMatchObject({ provider: 'resend', status: 'sent', bodyText: null, bodyHtml: null });
    const delivery = emu.deliveries.find((d) => d.to === t.owner.email);
    expect(delivery?.subject).toBe('Reset your Hourglass password');
    const token = tokenIn(delivery?.body ?? '');
    expect(token).toBeDefined();
    const ok = await post('/v1/auth/reset', { token: token!, password: 'reset through resend' });
    expect(ok.statusCode).toBe(200);
    expect(await loginStatus(t.owner.email, 'reset through resend')).toBe(200);

    // A refusal by the provider is recorded, and the answer is still the same 202.
    emu.invalidRecipients.add(t.viewer.email);
    expect((await post('/v1/auth/forgot', { email: t.viewer.email })).statusCode).toBe(202);
    const [failed] = await resetEmails(t.viewer.email);
    expect(failed).toMatchObject({
      provider: 'resend',
      status: 'failed',
      error: { code: 'invalid_recipient' },
    });
  });

  it('refuses an expired link (410), a forged one (400) and a short password', async () => {
    const t = await seedTenant(h.t.db, 'Forgot expired');
    const token = await resetToken(t.viewer.email);
    const short = await post('/v1/auth/reset', { token, password: 'short' });
    expect([short.statusCode, short.json().field]).toEqual([400, 'body.password']);
    await h.t.pool.query(
      `update password_resets set expires_at = now() - interval '1 second'
         where user_id = $1`,
      [t.viewer.id],
    );
    const expired = await post('/v1/auth/reset', { token, password: 'a brand new password' });
    expect([expired.statusCode, expired.json()]).toMatchObject([
      410,
      { code: 'reset.expired', field: 'body.token' },
    ]);
    // One character changed (to one it surely is not), a stub, an overlong string.
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [changed, 'x', 'a'.repeat(200)]) {
      const res = await post('/v1/auth/reset', { token: forged, password: 'a brand new password' });
      expect([res.statusCode, res.json()]).toMatchObject([
        400,
        { code: 'reset.invalid', field: 'body.token' },
      ]);
    }
    expect(await loginStatus(t.viewer.email, 'correct horse')).toBe(200);
  });

  it('retires older links once the password changed', async () => {
    const t = await seedTenant(h.t.db, 'Forgot older');
    const older = await resetToken(t.owner.email);
    const s = await login(h.app, t.owner.email);
    await post(
      '/v1/account/password',
      { currentPassword: 'correct horse', newPassword: 'changed in app 1' },
      s,
    );
    const res = await post('/v1/auth/reset', { token: older, password: 'a brand new password' });
    expect([res.statusCode, res.json().code]).toEqual([410, 'reset.used']);
  });

  it('limits requests per email and address like sign-in (429 with Retry-After), for unknown emails too', async () => {
    for (const email of ['limited@example.com', 'LIMITED@example.com', 'limited@example.com']) {
      expect((await post('/v1/auth/forgot', { email }, undefined, '203.0.113.9')).statusCode).toBe(202);
    }
    const res = await post('/v1/auth/forgot', { email: 'limited@example.com' }, undefined, '203.0.113.9');
    expect([res.statusCode, res.json()]).toMatchObject([
      429,
      { code: 'forgot.limited', field: 'body.email' },
    ]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is unaffected.
    expect(
      (await post('/v1/auth/forgot', { email: 'limited@example.com' }, undefined, '203.0.113.10')).statusCode,
    ).toBe(202);
  });
});

describe('sign out everywhere', () => {
  it('ends every session of the user, this one included, and no one else’s', async () => {
    const t = await seedTenant(h.t.db, 'Everywhere');
    const a = await login(h.app, t.owner.email);
    const b = await login(h.app, t.owner.email);
    const viewer = await login(h.app, t.viewer.email);
    const res = await post('/v1/auth/logout-everywhere', undefined, a);
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true, sessionsEnded: 2 }]);
    expect(res.cookies.find((c) => c.name === 'hg_session')?.value).toBe('');
    expect((await me(a)).statusCode).toBe(401);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(viewer)).statusCode).toBe(200);
    expect(await loginStatus(t.owner.email, 'correct horse')).toBe(200);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/v1/auth/logout-everywhere',
      headers: { cookie: viewer.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});
