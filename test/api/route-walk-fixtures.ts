import { createHash, randomBytes } from 'node:crypto';
import {
  appendMessageStatus,
  createApiKey,
  createUser,
  type Db,
  invitations,
  recordStep,
  reserveMessage,
  setMembership,
  upsertRun,
} from '@hourglass/db';
import { hashPassword } from '@hourglass/server';
import { simpleGraph } from './graphs';
import { type Harness, orderEvent, type seedTenant, withKey } from './harness';

// The data the route walk reaches for: one of each resource a route can name, per workspace, and
// how a path or body parameter says which resource it names.

export type Tenant = Awaited<ReturnType<typeof seedTenant>>;

/** The kinds of resource a route parameter can name. */
export const KINDS = [
  'journey',
  'version',
  'segment',
  'customer',
  'run',
  'message',
  'apiKey',
  'secret',
  'member',
  'invitation',
  'workspace',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * Which resource a path parameter names: `<collection>/{param}` first (an `{id}` means what its
 * collection holds), then `{param}` alone for names that say it themselves. A parameter found in
 * neither is unknown, and the walk fails on it: a new route must say here what it takes.
 */
const PATH_PARAMS: Record<string, Kind> = {
  'journeys/{id}': 'journey',
  'versions/{version}': 'version',
  'segments/{id}': 'segment',
  'customers/{id}': 'customer',
  '{customerId}': 'customer',
  'runs/{id}': 'run',
  'messages/{id}': 'message',
  'api-keys/{id}': 'apiKey',
  'secrets/{name}': 'secret',
  '{userId}': 'member',
  'invitations/{id}': 'invitation',
  '{workspaceId}': 'workspace',
};

/** The resource a path parameter of `path` names, or undefined when the walk does not know it. */
export function kindOfPathParam(path: string, param: string): Kind | undefined {
  const segments = path.split('/');
  const collection = segments[segments.indexOf(`{${param}}`) - 1];
  return PATH_PARAMS[`${collection}/{${param}}`] ?? PATH_PARAMS[`{${param}}`];
}

/** One workspace's resources, by kind, plus what identifies its customer outside ids. */
export interface WorkspaceData {
  tenant: Tenant;
  ids: Record<Kind, string>;
  customerExternalId: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const tag = () => randomBytes(4).toString('hex');

async function ok<T = { id: string }>(res: { statusCode: number; body: string }, what: string): Promise<T> {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as T;
}

/** The throwaway resources a destructive call may consume, made on demand in one workspace. */
export function freshMakers(h: Harness, tenant: Tenant): Partial<Record<Kind, () => Promise<string>>> {
  const key = tenant.keys.all;
  const post = (url: string, payload: object) => h.app.inject(withKey(key, { method: 'POST', url, payload }));
  const ws = tenant.workspace.id;
  return {
    journey: async () => (await ok(await post('/v1/journeys', { name: `walk ${tag()}` }), 'journey')).id,
    segment: async () =>
      (
        await ok(
          await post('/v1/segments', {
            name: `walk ${tag()}`,
            rule: { field: 'customer.stats.aov', op: 'gt', value: 1 },
          }),
          'segment',
        )
      ).id,
    secret: async () => {
      const name = `walk-${tag()}`;
      await ok(await post('/v1/workspace/secrets', { name, value: 'whsec_YS1zZWNyZXQ=' }), 'secret');
      return name;
    },
    apiKey: async () => {
      const secret = `hg_walk_${randomBytes(16).toString('hex')}`;
      const row = await createApiKey(h.t.db, ws, {
        name: `walk ${tag()}`,
        prefix: secret.slice(0, 10),
        keyHash: sha256(secret),
        scopes: ['read'],
      });
      return row.id;
    },
    member: async () =>
      (await addMember(h.t.db, ws, 'viewer', `walk-${tag()}@${tenant.workspace.slug}.test`)).id,
    invitation: async () => {
      const [row] = await h.t.db
        .insert(invitations)
        .values({
          workspaceId: ws,
          email: `invitee-${tag()}@example.com`,
          role: 'viewer',
          tokenHash: sha256(randomBytes(32).toString('hex')),
          expiresAt: new Date(Date.now() + 7 * 86_400_000),
        })
        .returning();
      return row!.id;
    },
  };
}

/** A user (password "correct horse") with a role in the workspace. */
export async function addMember(
  db: Db,
  workspaceId: string,
  role: Parameters<typeof setMembership>[3],
  email: string,
) {
  const user = await createUser(db, { email, passwordHash: await hashPassword('correct horse') });
  await setMembership(db, workspaceId, user.id, role);
  return user;
}

/**
 * Fills a workspace through the API (a customer with an order, a published journey, a segment, a
 * secret) and the database where no route makes the thing (a run with a step and a failed message,
 * as the worker records them; an API key; a pending invitation).
 */
export async function seedData(h: Harness, tenant: Tenant): Promise<WorkspaceData> {
  const key = tenant.keys.all;
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    h.app.inject(withKey(key, { method, url, ...(payload ? { payload } : {}) }));
  const customerExternalId = `cus_walk_${tag()}`;
  const ev = orderEvent(customerExternalId, 120);
  await ok(await call('POST', '/v1/events', ev), 'event');
  const customer = await ok(
    await call('GET', `/v1/customers/lookup?externalId=${customerExternalId}`),
    'customer lookup',
  );
  const journey = await ok(
    await call('POST', '/v1/journeys', { name: `walk ${tag()}`, graph: simpleGraph() }),
    'journey',
  );
  await ok(await call('POST', `/v1/journeys/${journey.id}/publish`, {}), 'publish');
  const fresh = freshMakers(h, tenant);
  const ws = tenant.workspace.id;
  const run = await upsertRun(h.t.db, ws, {
    workflowId: `wf-walk-${tag()}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
    triggerEventId: ev.id,
  });
  await recordStep(h.t.db, ws, {
    runId: run.id,
    stepId: 'wait',
    nodeId: 'wait',
    primitive: 'sleep',
    enteredAt: new Date(),
  });
  const { message } = await reserveMessage(h.t.db, ws, {
    idempotencyKey: `${run.workflowId}:send`,
    customerId: customer.id,
    channel: 'sms',
    provider: 'outbox',
    toAddress: '+15550100',
    runId: run.id,
    stepId: 'send',
    journeyId: journey.id,
  });
  await appendMessageStatus(h.t.db, ws, message.id, 'failed', { detail: 'route walk' });
  return {
    tenant,
    customerExternalId,
    ids: {
      journey: journey.id,
      version: '1',
      segment: await fresh.segment!(),
      customer: customer.id,
      run: run.id,
      message: message.id,
      apiKey: await fresh.apiKey!(),
      secret: await fresh.secret!(),
      member: tenant.viewer.id,
      invitation: await fresh.invitation!(),
      workspace: ws,
    },
  };
}

const workspaceTables = async (db: Db) =>
  (
    await db.$client.query<{ table_name: string }>(
      `select table_name from information_schema.columns
       where table_schema = 'public' and column_name = 'workspace_id' order by table_name`,
    )
  ).rows.map((r: { table_name: string }) => r.table_name);

/**
 * A digest of every row that belongs to a workspace: its own row, each table's rows with its
 * workspace_id, its members' user rows. API key use times are left out (any call touches them).
 */
export async function workspaceDigest(db: Db, workspaceId: string): Promise<Record<string, string>> {
  const parts = (await workspaceTables(db)).map(
    (t) =>
      `select '${t}' as t, coalesce(md5(string_agg((to_jsonb(x) - 'last_used_at')::text, '|' order by (to_jsonb(x) - 'last_used_at')::text)), '') as h from "${t}" x where x.workspace_id = $1`,
  );
  parts.push(`select 'workspace', md5(to_jsonb(w)::text) from workspaces w where w.id = $1`);
  parts.push(
    `select 'members', coalesce(md5(string_agg(to_jsonb(u)::text, '|' order by u.id)), '') from users u join memberships m on m.user_id = u.id where m.workspace_id = $1::uuid`,
  );
  const result = await db.$client.query<{ t: string; h: string }>(parts.join(' union all '), [workspaceId]);
  return Object.fromEntries(result.rows.map((r: { t: string; h: string }) => [r.t, r.h]));
}

/**
 * Everything that identifies a workspace's rows: every id in its tables, its own id, its members'
 * ids and emails, its secrets' names and customers' external ids. None may show up in another
 * workspace's answers. Short values (counters, small numbers) are left out: they are not identifying.
 */
export async function identifiers(db: Db, workspaceId: string): Promise<Set<string>> {
  const queries = [
    `select $1::uuid::text as v`,
    `select u.id::text from users u join memberships m on m.user_id = u.id where m.workspace_id = $1::uuid`,
    `select u.email from users u join memberships m on m.user_id = u.id where m.workspace_id = $1::uuid`,
    `select name from workspace_secrets where workspace_id = $1::uuid`,
    `select external_id from customers where workspace_id = $1::uuid`,
    `select email from customers where workspace_id = $1::uuid and email is not null`,
  ];
  for (const t of await workspaceTables(db)) {
    const hasId = await db.$client.query(
      `select 1 from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = 'id'`,
      [t],
    );
    if (hasId.rowCount) queries.push(`select id::text from "${t}" where workspace_id = $1::uuid`);
  }
  const rows = await db.$client.query<{ v: string }>(queries.join(' union '), [workspaceId]);
  return new Set(rows.rows.map((r: { v: string }) => r.v).filter((v: string) => v && v.length >= 12));
}
