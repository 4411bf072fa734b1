import { createHash, randomBytes } from 'node:crypto';
import { createApiKey, createUser, type Db, setMembership } from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import type { contract } from '@hourglass/server';
import { type AppDeps, buildApp, hashPassword } from '@hourglass/server';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** A Fastify app on a fresh migrated database. */
export interface Harness {
  t: TestDatabase;
  app: FastifyInstance;
  close: () => Promise<void>;
}

/** Builds the API on a fresh database; Temporal only when given. */
export async function harness(label: string, deps: Partial<AppDeps> = {}): Promise<Harness> {
  const t = await freshDatabase(label);
  const app = await buildApp({
    db: t.db,
    pingDatabase: () => t.pool.query('select 1'),
    pingTemporal: async () => {},
    ...deps,
  });
  return {
    t,
    app,
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A workspace with an owner (password "correct horse"), a viewer, and one API key per scope. */
export async function seedTenant(db: Db, name: string) {
  const ws = await seedWorkspace(db, name);
  const passwordHash = await hashPassword('correct horse');
  const suffix = randomBytes(4).toString('hex');
  const owner = await createUser(db, { email: `owner-${suffix}@${ws.slug}.test`, passwordHash });
  const viewer = await createUser(db, { email: `viewer-${suffix}@${ws.slug}.test`, passwordHash });
  await setMembership(db, ws.id, owner.id, 'owner');
  await setMembership(db, ws.id, viewer.id, 'viewer');
  const keys = {} as Record<'ingest' | 'read' | 'write' | 'support' | 'admin' | 'all', string>;
  for (const scope of ['ingest', 'read', 'write', 'support', 'admin', 'all'] as const) {
    const key = `hg_test_${scope}_${randomBytes(16).toString('hex')}`;
    await createApiKey(db, ws.id, {
      name: scope,
      prefix: key.slice(0, 10),
      keyHash: sha256(key),
      scopes: scope === 'all' ? ['ingest', 'read', 'write', 'support', 'admin'] : [scope],
    });
    keys[scope] = key;
  }
  return { workspace: ws, owner, viewer, keys };
}

/** Signs in and returns headers for cookie-authenticated requests (cookie + CSRF header). */
export async function login(app: FastifyInstance, email: string, password = 'correct horse') {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hg_session');
  const csrf = res.json().csrfToken as string;
  return { cookie: `hg_session=${cookie?.value}`, 'x-csrf-token': csrf };
}

/** Request helper with a bearer key. */
export function withKey(key: string, opts: InjectOptions): InjectOptions {
  return { ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${key}` } };
}

let seq = 0;
/** A valid order.placed event for a customer. */
export function orderEvent(
  customer: string,
  total: number,
  extra: Partial<contract.EventInput> = {},
): contract.EventInput {
  seq++;
  return {
    id: `evt_${Date.now()}_${seq}_${randomBytes(3).toString('hex')}`,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: { externalId: customer, email: `${customer}@example.com`, timezone: 'Europe/Paris' },
    order: { externalId: `ord_${seq}_${randomBytes(3).toString('hex')}`, total, currency: 'USD', items: [] },
    ...extra,
  };
}
