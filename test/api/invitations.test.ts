import { randomBytes } from 'node:crypto';
import { createUser, listSystemEmailsTo, type Role, setMembership } from '@hourglass/db';
import { hashPassword } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type Emulator, emulatorPolicy, startEmulator } from '../emulator/server';
import { type Harness, harness, login, seedTenant } from './harness';

// Invitations on the real API, database and provider emulator: the link is emailed through the
// workspace's channel (the outbox when none), shown once, works once, expires, can be revoked, and a
// forged one names nothing. Accepting creates the account (or checks its password) and signs in.

let h: Harness;
let emulator: Emulator;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
type Headers = Record<string, string>;
let owner: Headers;
let admin: Headers;

const call = (headers: Headers, method: string, url: string, payload?: unknown) =>
  h.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const anon = (method: string, url: string, payload?: unknown) => call({}, method, url, payload);
const fresh = () => `new-${randomBytes(4).toString('hex')}@invited.test`;
const tokenOf = (link: string) => link.split('/invite/')[1]!;

async function invite(headers: Headers, email: string, role: Role = 'support') {
  const res = await call(headers, 'POST', '/v1/invitations', { email, role });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; link: string; delivery: { provider: string; status: string } };
}

beforeAll(async () => {
  emulator = await startEmulator();
  h = await harness('api_invitations', {
    channels: testConfig(undefined, { outbound: emulatorPolicy(emulator.url) }),
  });
  a = await seedTenant(h.t.db, 'Invite A');
  b = await seedTenant(h.t.db, 'Invite B');
  owner = await login(h.app, a.owner.email);
  const email = `admin-${randomBytes(3).toString('hex')}@invite-a.test`;
  const user = await createUser(h.t.db, { email, passwordHash: await hashPassword('correct horse') });
  await setMembership(h.t.db, a.workspace.id, user.id, 'admin');
  admin = await login(h.app, email);
  // Workspace A sends email through its own Resend account (the emulator); B has none: the outbox.
  const put = await call(owner, 'PUT', '/v1/workspace/channels', {
    email: { apiKey: 're_workspace_a', from: 'Invite A <team@invite-a.test>', baseUrl: emulator.url },
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await emulator?.close();
});

describe('inviting', () => {
  it("emails the link through the workspace's channel and shows it once", async () => {
    const email = fresh();
    const inv = await invite(admin, email, 'editor');
    expect(inv.link).toMatch(/^http:\/\/hourglass\.test\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(inv.delivery).toEqual({ provider: 'resend', status: 'sent' });
    const sent = emulator.deliveries.find((d) => d.to === email);
    expect(sent?.subject).toBe('Join Invite A on Hourglass');
    expect(sent?.body).toContain(inv.link);
    const token = tokenOf(inv.link);
    const list = await call(admin, 'GET', '/v1/invitations');
    expect(list.json()[0]).toMatchObject({ id: inv.id, email, role: 'editor', status: 'pending' });
    expect(list.body).not.toContain(token);
    const audit = await call(owner, 'GET', '/v1/audit');
    expect(audit.body).toContain('invitation.create');
    expect(audit.body).not.toContain(token);
    // Only a hash is stored.
    const stored = await h.t.pool.query('select token_hash from invitations where id = $1', [inv.id]);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
  });

  it('falls back to the outbox, where the email can be read', async () => {
    const bOwner = await login(h.app, b.owner.email);
    const email = fresh();
    const inv = await invite(bOwner, email, 'viewer');
    expect(inv.delivery).toEqual({ provider: 'outbox', status: 'sent' });
    const [row] = await listSystemEmailsTo(h.t.db, email, { kind: 'invitation' });
    expect(row?.bodyText).toContain(inv.link);
    expect(emulator.deliveries.some((d) => d.to === email)).toBe(false);
  });

  it('refuses members, unknown roles, editors, and owners invited by admins', async () => {
    const member = await call(admin, 'POST', '/v1/invitations', { email: a.viewer.email, role: 'editor' });
    expect(member.statusCode).toBe(409);
    expect(member.json()).toMatchObject({ code: 'already_member', field: 'body.email' });
    const role = await call(admin, 'POST', '/v1/invitations', { email: fresh(), role: 'superuser' });
    expect(role.statusCode).toBe(400);
    expect(role.json()).toMatchObject({ code: 'invalid_request', field: 'body.role' });
    const email = await call(admin, 'POST', '/v1/invitations', { email: 'not an email', role: 'viewer' });
    expect(email.json().field).toBe('body.email');
    const toOwner = await call(admin, 'POST', '/v1/invitations', { email: fresh(), role: 'owner' });
    expect(toOwner.statusCode).toBe(403);
    const editorEmail = `editor-${randomBytes(3).toString('hex')}@invite-a.test`;
    const editorUser = await createUser(h.t.db, {
      email: editorEmail,
      passwordHash: await hashPassword('correct horse'),
    });
    await setMembership(h.t.db, a.workspace.id, editorUser.id, 'editor');
    const editor = await login(h.app, editorEmail);
    expect(
      (await call(editor, 'POST', '/v1/invitations', { email: fresh(), role: 'viewer' })).statusCode,
    ).toBe(403);
    expect((await call(editor, 'GET', '/v1/invitations')).statusCode).toBe(403);
    // An owner may invite an owner.
    await invite(owner, fresh(), 'owner');
  });
});

describe('following the link', () => {
  it('creates the account, signs in with the invited role, and works only once', async () => {
    const email = fresh();
    const token = tokenOf((await invite(admin, email, 'support')).link);
    const look = await anon('GET', `/v1/invitations/lookup?token=${token}`);
    expect(look.json()).toMatchObject({
      workspaceName: 'Invite A',
      email,
      role: 'support',
      accountExists: false,
    });
    const noPassword = await anon('POST', '/v1/invitations/accept', { token, name: 'Sam' });
    expect(noPassword.json()).toMatchObject({ code: 'invalid_request', field: 'body.password' });
    const short = await anon('POST', '/v1/invitations/accept', { token, name: 'Sam', password: 'short' });
    expect(short.json().field).toBe('body.password');
    const res = await anon('POST', '/v1/invitations/accept', {
      token,
      name: 'Sam',
      password: 'a long passphrase',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'session',
      user: { email, name: 'Sam' },
      workspace: { id: a.workspace.id },
      role: 'support',
      scopes: ['read', 'support'],
    });
    const cookie = res.cookies.find((c) => c.name === 'hg_session');
    const me = await call({ cookie: `hg_session=${cookie?.value}` }, 'GET', '/v1/me');
    expect(me.json()).toMatchObject({ role: 'support', workspace: { id: a.workspace.id } });
    // The new account signs in with its password too.
    expect((await login(h.app, email, 'a long passphrase'))['x-csrf-token']).toBeTruthy();

    const again = await anon('POST', '/v1/invitations/accept', {
      token,
      name: 'Eve',
      password: 'another passphrase',
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('invitation.used');
    expect((await anon('GET', `/v1/invitations/lookup?token=${token}`)).json().code).toBe('invitation.used');
    const audit = await call(owner, 'GET', '/v1/audit');
    expect(audit.body).toContain('invitation.accept');
    expect(audit.body).not.toContain(token);
  });

  it('lets exactly one of two simultaneous accepts through', async () => {
    const token = tokenOf((await invite(admin, fresh(), 'viewer')).link);
    const body = { token, name: 'Twin', password: 'a long passphrase' };
    const [x, y] = await Promise.all([
      anon('POST', '/v1/invitations/accept', body),
      anon('POST', '/v1/invitations/accept', body),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 410]);
  });

  it('refuses forged, expired and revoked links with their own codes', async () => {
    const forged = await anon('GET', `/v1/invitations/lookup?token=${randomBytes(32).toString('base64url')}`);
    expect(forged.statusCode).toBe(404);
    expect(forged.json()).toMatchObject({ code: 'invitation.invalid', field: 'querystring.token' });
    const forgedAccept = await anon('POST', '/v1/invitations/accept', {
      token: 'x'.repeat(43),
      name: 'F',
      password: 'a long passphrase',
    });
    expect(forgedAccept.json().code).toBe('invitation.invalid');

    const expired = await invite(admin, fresh());
    await h.t.pool.query("update invitations set expires_at = now() - interval '1 second' where id = $1", [
      expired.id,
    ]);
    const late = await anon('POST', '/v1/invitations/accept', {
      token: tokenOf(expired.link),
      name: 'Late',
      password: 'a long passphrase',
    });
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('invitation.expired');
    expect(
      (await call(admin, 'GET', '/v1/invitations')).json().find((i: { id: string }) => i.id === expired.id)
        .status,
    ).toBe('expired');

    const revoked = await invite(admin, fresh());
    const del = await call(admin, 'DELETE', `/v1/invitations/${revoked.id}`);
    expect(del.json()).toMatchObject({ id: revoked.id, status: 'revoked' });
    const gone = await anon('GET', `/v1/invitations/lookup?token=${tokenOf(revoked.link)}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('invitation.revoked');

    // A newer invitation to the same address replaces the pending one.
    const email = fresh();
    const first = await invite(admin, email);
    await invite(admin, email);
    expect((await anon('GET', `/v1/invitations/lookup?token=${tokenOf(first.link)}`)).json().code).toBe(
      'invitation.revoked',
    );
  });

  it('asks an existing account for its password (or its own session) and adds the membership', async () => {
    const bViewer = b.viewer.email;
    const token = tokenOf((await invite(admin, bViewer, 'editor')).link);
    expect((await anon('GET', `/v1/invitations/lookup?token=${token}`)).json().accountExists).toBe(true);
    const none = await anon('POST', '/v1/invitations/accept', { token });
    expect(none.json()).toMatchObject({ code: 'password_required', field: 'body.password' });
    const wrong = await anon('POST', '/v1/invitations/accept', { token, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    const ok = await anon('POST', '/v1/invitations/accept', { token, password: 'correct horse' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ workspace: { id: a.workspace.id }, role: 'editor' });
    const session = await login(h.app, bViewer);
    const mine = (await call(session, 'GET', '/v1/workspaces')).json();
    expect(mine.map((w: { id: string; role: string }) => [w.id, w.role])).toEqual([
      [b.workspace.id, 'viewer'],
      [a.workspace.id, 'editor'],
    ]);

    // Signed in as that same person: no password needed. Someone else's session does not count.
    const bOwner = await login(h.app, b.owner.email);
    const t2 = tokenOf((await invite(owner, b.owner.email, 'viewer')).link);
    const stranger = await call(session, 'POST', '/v1/invitations/accept', { token: t2 });
    expect(stranger.json().code).toBe('password_required');
    const self = await call(bOwner, 'POST', '/v1/invitations/accept', { token: t2 });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json()).toMatchObject({ workspace: { id: a.workspace.id }, role: 'viewer' });
  });
});

describe('revoking', () => {
  it("refuses accepted invitations and another workspace's ids", async () => {
    const inv = await invite(admin, fresh(), 'viewer');
    await anon('POST', '/v1/invitations/accept', {
      token: tokenOf(inv.link),
      name: 'V',
      password: 'a long passphrase',
    });
    const used = await call(admin, 'DELETE', `/v1/invitations/${inv.id}`);
    expect(used.statusCode).toBe(409);
    expect(used.json().code).toBe('invitation.used');
    const bOwner = await login(h.app, b.owner.email, 'correct horse');
    const theirs = await invite(bOwner, fresh(), 'viewer');
    const cross = await call(admin, 'DELETE', `/v1/invitations/${theirs.id}`);
    expect(cross.statusCode).toBe(404);
    expect((await anon('GET', `/v1/invitations/lookup?token=${tokenOf(theirs.link)}`)).statusCode).toBe(200);
    const listed = (await call(admin, 'GET', '/v1/invitations')).json() as { id: string }[];
    expect(listed.some((i) => i.id === theirs.id)).toBe(false);
    const audit = await call(owner, 'GET', '/v1/audit');
    expect(audit.body).toContain('invitation.revoke');
  });
});
