import { randomBytes } from 'node:crypto';
import { createUser, type Role, setMembership } from '@hourglass/db';
import { hashPassword } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from './graphs';
import { type Harness, harness, login, orderEvent, seedTenant, withKey } from './harness';

// Workspaces and members on the real API and database: creating, switching, renaming and deleting a
// workspace (owners only), roles and removals taking effect on the very next request, and the last
// owner rule holding even when two owners demote each other at the same moment.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
type Headers = Record<string, string>;
let owner: Headers;

/** A user with a role in a workspace, signed in (password "correct horse"). */
async function member(workspaceId: string, role: Role) {
  const email = `${role}-${randomBytes(4).toString('hex')}@team.test`;
  const user = await createUser(h.t.db, { email, passwordHash: await hashPassword('correct horse') });
  await setMembership(h.t.db, workspaceId, user.id, role);
  return { user, email, headers: await login(h.app, email) };
}

const call = (headers: Headers, method: string, url: string, payload?: unknown, workspaceId?: string) =>
  h.app.inject({
    method: method as 'GET',
    url,
    headers: workspaceId ? { ...headers, 'x-workspace-id': workspaceId } : headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const count = async (table: string, workspaceId: string) =>
  Number(
    (await h.t.pool.query(`select count(*)::int as n from ${table} where workspace_id = $1`, [workspaceId]))
      .rows[0].n,
  );

beforeAll(async () => {
  h = await harness('api_team');
  a = await seedTenant(h.t.db, 'Team A');
  b = await seedTenant(h.t.db, 'Team B');
  owner = await login(h.app, a.owner.email);
});
afterAll(async () => h?.close());

describe('workspaces', () => {
  it('creates a workspace whose creator is owner, lists it and lets the session switch to it', async () => {
    const res = await call(owner, 'POST', '/v1/workspaces', {
      name: 'Second Brand',
      timezone: 'Europe/Paris',
      brandName: 'Second & Co',
    });
    expect(res.statusCode).toBe(201);
    const ws = res.json();
    expect(ws).toMatchObject({
      name: 'Second Brand',
      slug: 'second-brand',
      role: 'owner',
      timezone: 'Europe/Paris',
      brandName: 'Second & Co',
    });
    const list = (await call(owner, 'GET', '/v1/workspaces')).json();
    expect(list.map((w: { id: string }) => w.id)).toEqual([a.workspace.id, ws.id]);
    const me = (await call(owner, 'GET', '/v1/me', undefined, ws.id)).json();
    expect(me).toMatchObject({ workspace: { id: ws.id, name: 'Second Brand' }, role: 'owner' });
    // The new workspace starts empty and its own: A's customers are not there.
    await h.app.inject(
      withKey(a.keys.ingest, { method: 'POST', url: '/v1/events', payload: orderEvent('a1', 50) }),
    );
    expect((await call(owner, 'GET', '/v1/customers', undefined, ws.id)).json()).toEqual([]);
    const audit = (await call(owner, 'GET', '/v1/audit', undefined, ws.id)).json();
    expect(audit.map((e: { action: string }) => e.action)).toContain('workspace.create');
    const brand = (await call(owner, 'GET', '/v1/workspace/settings', undefined, ws.id)).json().brand;
    expect(brand.name).toBe('Second & Co');
    // Same name again: another slug.
    const again = (await call(owner, 'POST', '/v1/workspaces', { name: 'Second Brand' })).json();
    expect(again.slug).toMatch(/^second-brand-[0-9a-f]{6}$/);
    expect(again.timezone).toBe('UTC');
  });

  it('refuses API keys and bad input', async () => {
    const byKey = await h.app.inject(
      withKey(a.keys.all, { method: 'POST', url: '/v1/workspaces', payload: { name: 'Nope' } }),
    );
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().code).toBe('session_required');
    const zone = await call(owner, 'POST', '/v1/workspaces', { name: 'X', timezone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().field).toBe('body.timezone');
    const blank = await call(owner, 'POST', '/v1/workspaces', { name: '   ' });
    expect(blank.json()).toMatchObject({ code: 'invalid_request', field: 'body.name' });
  });

  it('renames only for owners', async () => {
    const ws = (await call(owner, 'POST', '/v1/workspaces', { name: 'Rename me' })).json();
    for (const role of ['admin', 'editor'] as const) {
      const m = await member(ws.id, role);
      const res = await call(m.headers, 'PATCH', '/v1/workspace', { name: 'Hijacked' }, ws.id);
      expect(res.statusCode, role).toBe(403);
    }
    const key = await h.app.inject(
      withKey(a.keys.all, { method: 'PATCH', url: '/v1/workspace', payload: { name: 'Key' } }),
    );
    expect(key.statusCode).toBe(403);
    const ok = await call(owner, 'PATCH', '/v1/workspace', { name: 'Renamed' }, ws.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: ws.id, name: 'Renamed', slug: 'rename-me' });
    const audit = (await call(owner, 'GET', '/v1/audit', undefined, ws.id)).json();
    expect(audit[0]).toMatchObject({
      action: 'workspace.rename',
      details: { from: 'Rename me', to: 'Renamed' },
    });
  });

  it('deletes a workspace and all its data, only for an owner who types its name', async () => {
    const ws = (await call(owner, 'POST', '/v1/workspaces', { name: 'Doomed Brand' })).json();
    const keyRes = await call(
      owner,
      'POST',
      '/v1/api-keys',
      { name: 'all', scopes: ['ingest', 'write'] },
      ws.id,
    );
    const key = keyRes.json().key as string;
    await h.app.inject(
      withKey(key, { method: 'POST', url: '/v1/events', payload: orderEvent('doomed', 80) }),
    );
    const journey = await h.app.inject(
      withKey(key, { method: 'POST', url: '/v1/journeys', payload: { name: 'J', graph: simpleGraph() } }),
    );
    expect(journey.statusCode).toBe(201);
    await call(owner, 'POST', '/v1/invitations', { email: 'later@team.test', role: 'viewer' }, ws.id);
    expect(await count('customers', ws.id)).toBe(1);
    const admin = await member(ws.id, 'admin');
    const aCustomers = await count('customers', a.workspace.id);

    const byAdmin = await call(admin.headers, 'DELETE', '/v1/workspace', { confirm: 'Doomed Brand' }, ws.id);
    expect(byAdmin.statusCode).toBe(403);
    const wrong = await call(owner, 'DELETE', '/v1/workspace', { confirm: 'doomed brand' }, ws.id);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'confirm_mismatch', field: 'body.confirm' });
    const missing = await call(owner, 'DELETE', '/v1/workspace', undefined, ws.id);
    expect(missing.statusCode).toBe(400);

    const ok = await call(owner, 'DELETE', '/v1/workspace', { confirm: 'Doomed Brand' }, ws.id);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true });
    // Every table holding workspace data is empty for it.
    const tables = await h.t.pool.query(
      "select table_name from information_schema.columns where column_name = 'workspace_id' and table_schema = 'public'",
    );
    expect(tables.rows.length).toBeGreaterThan(10);
    for (const { table_name } of tables.rows) expect(await count(table_name, ws.id), table_name).toBe(0);
    expect((await h.t.pool.query('select 1 from workspaces where id = $1', [ws.id])).rowCount).toBe(0);
    // The key of the deleted workspace is dead, the members are gone, other workspaces are untouched.
    const dead = await h.app.inject(withKey(key, { method: 'GET', url: '/v1/me' }));
    expect(dead.statusCode).toBe(401);
    const gone = await call(admin.headers, 'GET', '/v1/me', undefined, ws.id);
    expect(gone.json().code).toBe('no_workspace');
    expect(await count('customers', a.workspace.id)).toBe(aCustomers);
    const list = (await call(owner, 'GET', '/v1/workspaces')).json();
    expect(list.map((w: { id: string }) => w.id)).not.toContain(ws.id);
    expect(list.map((w: { id: string }) => w.id)).toContain(a.workspace.id);
  });
});

describe('members and roles', () => {
  it('lists members with their roles, to anyone who may read', async () => {
    const viewer = await login(h.app, a.viewer.email);
    const res = await call(viewer, 'GET', '/v1/members');
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { email: string; role: string }[];
    expect(rows[0]).toMatchObject({ email: a.owner.email, role: 'owner' });
    expect(rows.find((m) => m.email === a.viewer.email)?.role).toBe('viewer');
    expect(rows.some((m) => m.email === b.owner.email)).toBe(false);
  });

  it('changes a role, effective on the next request; only owners touch the owner role', async () => {
    const admin = await member(a.workspace.id, 'admin');
    const someone = await member(a.workspace.id, 'viewer');
    const url = `/v1/members/${someone.user.id}`;
    const res = await call(admin.headers, 'PATCH', url, { role: 'support' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: someone.user.id, role: 'support' });
    expect((await call(someone.headers, 'GET', '/v1/me')).json()).toMatchObject({
      role: 'support',
      scopes: ['read', 'support'],
    });
    const toOwner = await call(admin.headers, 'PATCH', url, { role: 'owner' });
    expect(toOwner.statusCode).toBe(403);
    expect(toOwner.json().field).toBe('body.role');
    const ofOwner = await call(admin.headers, 'PATCH', `/v1/members/${a.owner.id}`, { role: 'viewer' });
    expect(ofOwner.statusCode).toBe(403);
    const bad = await call(admin.headers, 'PATCH', url, { role: 'superuser' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'body.role' });
    const editor = await member(a.workspace.id, 'editor');
    expect((await call(editor.headers, 'PATCH', url, { role: 'viewer' })).statusCode).toBe(403);
    const audit = (await call(owner, 'GET', '/v1/audit')).json() as { action: string }[];
    expect(audit.find((e) => e.action === 'member.role')).toMatchObject({
      target: `user:${someone.user.id}`,
      details: { from: 'viewer', to: 'support' },
    });
  });

  it('removes a member: their next request to the workspace is refused at once', async () => {
    const editor = await member(a.workspace.id, 'editor');
    expect((await call(editor.headers, 'GET', '/v1/journeys')).statusCode).toBe(200);
    const res = await call(owner, 'DELETE', `/v1/members/${editor.user.id}`);
    expect(res.statusCode).toBe(200);
    const after = await call(editor.headers, 'GET', '/v1/journeys', undefined, a.workspace.id);
    expect(after.statusCode).toBe(403);
    expect(after.json().code).toBe('no_workspace');
    expect((await call(editor.headers, 'GET', '/v1/journeys')).json().code).toBe('no_workspace');
    const admin = await member(a.workspace.id, 'admin');
    expect((await call(admin.headers, 'DELETE', `/v1/members/${a.owner.id}`)).statusCode).toBe(403);
  });

  it('never leaves a workspace without an owner', async () => {
    const ws = (await call(owner, 'POST', '/v1/workspaces', { name: 'Solo' })).json();
    const leave = await call(owner, 'POST', '/v1/members/leave', undefined, ws.id);
    expect(leave.statusCode).toBe(409);
    expect(leave.json().code).toBe('last_owner');
    const me = a.owner.id;
    expect((await call(owner, 'PATCH', `/v1/members/${me}`, { role: 'admin' }, ws.id)).json().code).toBe(
      'last_owner',
    );
    expect((await call(owner, 'DELETE', `/v1/members/${me}`, undefined, ws.id)).json().code).toBe(
      'last_owner',
    );

    // Two owners demoting each other at the same moment: exactly one of them wins.
    const second = await member(ws.id, 'owner');
    const [x, y] = await Promise.all([
      call(owner, 'PATCH', `/v1/members/${second.user.id}`, { role: 'admin' }, ws.id),
      call(second.headers, 'PATCH', `/v1/members/${me}`, { role: 'admin' }, ws.id),
    ]);
    // The loser is refused either as the last owner (409) or, when the winner's change landed before its
    // request was authorised, as no longer an owner at all (403): never both demoted.
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes[0]).toBe(200);
    expect([403, 409]).toContain(codes[1]);
    const owners = (
      await h.t.pool.query(
        "select count(*)::int as n from memberships where workspace_id = $1 and role = 'owner'",
        [ws.id],
      )
    ).rows[0].n;
    expect(owners).toBe(1);
    // And two owners leaving at once: one stays.
    const third = await member(ws.id, 'owner');
    const winner = x.statusCode === 200 ? owner : second.headers;
    const [l1, l2] = await Promise.all([
      call(winner, 'POST', '/v1/members/leave', undefined, ws.id),
      call(third.headers, 'POST', '/v1/members/leave', undefined, ws.id),
    ]);
    expect([l1.statusCode, l2.statusCode].sort()).toEqual([200, 409]);
  });

  it("answers 404 for another workspace's members", async () => {
    const admin = await member(a.workspace.id, 'admin');
    const other = `/v1/members/${b.viewer.id}`;
    expect((await call(admin.headers, 'PATCH', other, { role: 'viewer' })).statusCode).toBe(404);
    expect((await call(admin.headers, 'DELETE', other)).statusCode).toBe(404);
    const still = (await h.t.pool.query('select role from memberships where user_id = $1', [b.viewer.id]))
      .rows;
    expect(still).toEqual([{ role: 'viewer' }]);
  });

  it('lets a member leave', async () => {
    const viewer = await member(a.workspace.id, 'viewer');
    expect((await call(viewer.headers, 'POST', '/v1/members/leave')).statusCode).toBe(200);
    expect((await call(viewer.headers, 'GET', '/v1/me')).json().code).toBe('no_workspace');
    const audit = (await call(owner, 'GET', '/v1/audit')).json() as { action: string }[];
    expect(audit.find((e) => e.action === 'member.leave')).toMatchObject({
      target: `user:${viewer.user.id}`,
    });
  });
});
