import { decryptWorkspaceSecret } from '@hourglass/channels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// /v1/workspace/secrets: named secrets stored encrypted, write-only (never in an answer or the audit
// log), admins only for changes, invisible and untouchable from another workspace.

let h: Harness;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const VALUE = 'whsec_c2VjcmV0LW9mLXdvcmtzcGFjZS1h';
const ROTATED = 'whsec_cm90YXRlZC1zZWNyZXQtdmFsdWU=';

beforeAll(async () => {
  h = await harness('api_workspace_secrets', { channels: testConfig() });
  a = await seedTenant(h.t.db, 'Sec A');
  b = await seedTenant(h.t.db, 'Sec B');
});
afterAll(async () => h?.close());

const url = '/v1/workspace/secrets';
const list = (key: string) => h.app.inject(withKey(key, { method: 'GET', url }));
const create = (key: string, payload: object) => h.app.inject(withKey(key, { method: 'POST', url, payload }));
const rotate = (key: string, name: string, payload: object) =>
  h.app.inject(withKey(key, { method: 'PUT', url: `${url}/${name}`, payload }));
const remove = (key: string, name: string) =>
  h.app.inject(withKey(key, { method: 'DELETE', url: `${url}/${name}` }));

describe('workspace secrets', () => {
  const bodies: string[] = [];

  it('creates a secret, answers name and dates only, and stores it encrypted', async () => {
    const res = await create(a.keys.admin, { name: 'crm-webhook', value: VALUE });
    bodies.push(res.body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      name: 'crm-webhook',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      rotatedAt: null,
    });
    const listed = await list(a.keys.read);
    bodies.push(listed.body);
    expect(listed.json().map((s: { name: string }) => s.name)).toEqual(['crm-webhook']);
    const { rows } = await h.t.pool.query('select ciphertext from workspace_secrets where name = $1', [
      'crm-webhook',
    ]);
    expect(rows[0].ciphertext).not.toContain(VALUE);
    expect(decryptWorkspaceSecret(testConfig().secretKey, rows[0].ciphertext)).toBe(VALUE);
  });

  it('refuses a duplicate name with 409 secret.exists', async () => {
    const res = await create(a.keys.admin, { name: 'crm-webhook', value: 'other' });
    bodies.push(res.body);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'secret.exists', field: 'body.name' });
  });

  it.each([
    ['an upper-case name', { name: 'CRM', value: 'x' }, 'name'],
    ['a name with a space', { name: 'crm hook', value: 'x' }, 'name'],
    ['a name starting with -', { name: '-crm', value: 'x' }, 'name'],
    ['a 64-character name', { name: 'a'.repeat(64), value: 'x' }, 'name'],
    ['an empty value', { name: 'crm', value: '' }, 'value'],
    ['a value over 4096 characters', { name: 'crm', value: 'x'.repeat(4097) }, 'value'],
    ['no value', { name: 'crm' }, 'value'],
  ])('answers 400 for %s', async (_label, payload, field) => {
    const res = await create(a.keys.admin, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toContain(field);
  });

  it('lets neither a read key, a write key nor a viewer change secrets', async () => {
    for (const key of [a.keys.read, a.keys.write, a.keys.ingest]) {
      expect((await create(key, { name: 'sneaky', value: 'x' })).statusCode).toBe(403);
      expect((await rotate(key, 'crm-webhook', { value: 'x' })).statusCode).toBe(403);
      expect((await remove(key, 'crm-webhook')).statusCode).toBe(403);
    }
    const viewer = await login(h.app, a.viewer.email);
    const res = await h.app.inject({
      method: 'POST',
      url,
      headers: viewer,
      payload: { name: 'v', value: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect((await list(a.keys.read)).json()).toHaveLength(1);
  });

  it("keeps one workspace's secrets invisible and untouchable from another", async () => {
    expect((await list(b.keys.read)).json()).toEqual([]);
    expect((await rotate(b.keys.admin, 'crm-webhook', { value: 'x' })).statusCode).toBe(404);
    expect((await remove(b.keys.admin, 'crm-webhook')).statusCode).toBe(404);
    // The same name is free in the other workspace, and stays separate.
    expect((await create(b.keys.admin, { name: 'crm-webhook', value: 'b-value' })).statusCode).toBe(201);
    expect((await list(a.keys.read)).json()).toHaveLength(1);
  });

  it('rotates a secret (new value stored, rotatedAt set) and deletes it', async () => {
    const res = await rotate(a.keys.admin, 'crm-webhook', { value: ROTATED });
    bodies.push(res.body);
    expect(res.statusCode).toBe(200);
    expect(res.json().rotatedAt).toEqual(expect.any(String));
    const { rows } = await h.t.pool.query(
      'select ciphertext from workspace_secrets where workspace_id = $1 and name = $2',
      [a.workspace.id, 'crm-webhook'],
    );
    expect(decryptWorkspaceSecret(testConfig().secretKey, rows[0].ciphertext)).toBe(ROTATED);
    expect((await rotate(a.keys.admin, 'nope', { value: 'x' })).statusCode).toBe(404);

    const del = await remove(a.keys.admin, 'crm-webhook');
    expect(del.statusCode).toBe(200);
    expect((await list(a.keys.read)).json()).toEqual([]);
    expect((await remove(a.keys.admin, 'crm-webhook')).statusCode).toBe(404);
  });

  it('audits every change without the value, and no answer ever carried a value', async () => {
    const { rows } = await h.t.pool.query(
      'select action, target, details::text as details from audit_log where workspace_id = $1 and action like $2 order by at',
      [a.workspace.id, 'workspace.secret.%'],
    );
    expect(rows.map((r) => [r.action, r.target])).toEqual([
      ['workspace.secret.created', 'secret:crm-webhook'],
      ['workspace.secret.rotated', 'secret:crm-webhook'],
      ['workspace.secret.deleted', 'secret:crm-webhook'],
    ]);
    for (const text of [...bodies, ...rows.map((r) => r.details)]) {
      expect(text).not.toContain(VALUE);
      expect(text).not.toContain(ROTATED);
    }
  });
});
