import fs from 'node:fs';
import { ROLES, type Role, setMembership } from '@hourglass/db';
import { accessOfOperation, keyMay, PERMISSIONS, ROLE_TABLE, roleMay } from '@hourglass/server';
import { sample } from 'openapi-sampler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, login, seedTenant } from './harness';
import { fieldValues, fill, queryValues, texts } from './route-walk-bodies';
import {
  addMember,
  freshMakers,
  identifiers,
  type Kind,
  kindOfPathParam,
  seedData,
  type WorkspaceData,
  workspaceDigest,
} from './route-walk-fixtures';

// Every route of the OpenAPI document, walked with every kind of credential: workspace A's (an API key
// with every scope, an owner's session) against workspace B's ids must answer 404 and leave B as it
// was, A's lists never show B's rows, and each role's session is refused exactly the routes the access
// table refuses it. The routes come from the document itself, so a route added later is walked too.

type Schema = Parameters<typeof sample>[0];
type Access = NonNullable<ReturnType<typeof accessOfOperation>>;
type Parameter = { in: string; name: string; required?: boolean; schema?: Schema };
type Operation = Record<string, unknown> & {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
interface Route {
  name: string;
  method: string;
  path: string;
  access: Access;
  op: Operation;
  pathParams: string[];
}
interface Credential {
  label: string;
  email: string;
  may: (access: Access) => boolean;
  headers: () => Record<string, string>;
  /** Puts the credential back as it was when a call ended its session or changed its membership. */
  restore: () => Promise<void>;
}

let h: Harness;
let spec: { paths: Record<string, Record<string, Operation>> };
let routes: Route[];
let a: WorkspaceData;
let b: WorkspaceData;
let calls = 0;
const leaks: string[] = [];
const credentials = new Set<string>();

beforeAll(async () => {
  h = await harness('api_route_walk');
  a = await seedData(h, await seedTenant(h.t.db, 'Walk A'));
  b = await seedData(h, await seedTenant(h.t.db, 'Walk B'));
  await h.app.ready();
  spec = h.app.swagger() as unknown as typeof spec;
  routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      access: accessOfOperation(op) as Access,
      op,
      pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
    })),
  );
});
afterAll(async () => h?.close());

/** A value of the schema: its required fields only, or every field (when a rule asks for one of several). */
const sampled = (schema: Schema, requiredOnly = true) =>
  sample(schema, { skipReadOnly: true, skipNonRequired: requiredOnly, quiet: true }, spec);

/**
 * One call of a route on a workspace's data: path parameters resolved by name (fresh throwaway
 * objects for a DELETE when `fresh` can make them), required query parameters and the JSON body
 * sampled from the document, id fields filled with the target's ids. Unknown parameters: an error.
 */
async function callRoute(
  route: Route,
  target: WorkspaceData,
  cred: Credential,
  fresh: Partial<Record<Kind, () => Promise<string>>> = {},
) {
  const fields = fieldValues(target);
  const ids = queryValues(target);
  let url = route.path;
  for (const param of route.pathParams) {
    const kind = kindOfPathParam(route.path, param);
    if (!kind)
      throw new Error(`${route.name}: no resolver for path parameter {${param}} (route-walk-fixtures)`);
    const make = route.method === 'DELETE' ? fresh[kind] : undefined;
    url = url.replace(`{${param}}`, encodeURIComponent(make ? await make() : target.ids[kind]));
  }
  const query = new URLSearchParams();
  for (const p of route.op.parameters ?? []) {
    if (p.in !== 'query') continue;
    if (p.name in ids) query.set(p.name, ids[p.name]!);
    else if (p.required && p.schema) query.set(p.name, String(sampled(p.schema)));
  }
  const schema = route.op.requestBody?.content?.['application/json']?.schema;
  const search = query.size ? `?${query}` : '';
  const send = (payload: unknown) =>
    h.app.inject({
      method: route.method as 'GET',
      url: `${url}${search}`,
      headers: cred.headers(),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  let payload = schema ? fill(sampled(schema), fields, texts(cred.email)) : undefined;
  let res = await send(payload);
  // Required fields alone may not be enough ("set email or sms"): then every field, once.
  if (schema && res.statusCode === 400 && res.json().code === 'invalid_request') {
    payload = fill(sampled(schema, false), fields, texts(cred.email));
    res = await send(payload);
  }
  calls++;
  credentials.add(cred.label);
  await cred.restore();
  return { res, sent: `${url}${search} ${JSON.stringify(payload ?? null)}` };
}

function keyCredential(data: WorkspaceData): Credential {
  const scopes = ['ingest', 'read', 'write', 'support', 'admin'] as const;
  return {
    label: `${data.tenant.workspace.name}: API key with every scope`,
    email: data.tenant.owner.email,
    may: (access) => keyMay(scopes, access),
    headers: () => ({ authorization: `Bearer ${data.tenant.keys.all}` }),
    restore: async () => {},
  };
}

async function sessionCredential(
  ws: string,
  user: { id: string; email: string },
  role: Role,
  label = `${role} session`,
) {
  let headers = await login(h.app, user.email);
  const cred: Credential = {
    label,
    email: user.email,
    may: (access) => roleMay(role, access),
    headers: () => ({ ...headers, 'x-workspace-id': ws }),
    async restore() {
      const me = () => h.app.inject({ method: 'GET', url: '/v1/me', headers: cred.headers() });
      let res = await me();
      if (res.statusCode === 200 && res.json().role === role) return;
      // Signing out, leaving, or a role change by the walk itself: undo it for the next route.
      await setMembership(h.t.db, ws, user.id, role);
      res = await me();
      if (res.statusCode === 401) headers = await login(h.app, user.email);
      res = await me();
      if (res.statusCode !== 200 || res.json().role !== role)
        throw new Error(`${cred.label} could not be restored: ${res.statusCode} ${res.body}`);
    },
  };
  return cred;
}

/** Where a route answered, for failure messages. */
const said = (res: { statusCode: number; body: string }) => `${res.statusCode} ${res.body.slice(0, 160)}`;

describe('route walk', () => {
  it('every operation states its access level, and the README roles table is the access table', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !r.access).map((r) => r.name)).toEqual([]);
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split('\n## Roles\n')[1]?.split('\n## ')[0] ?? '';
    for (const { role, permissions } of ROLE_TABLE) {
      const row = section.split('\n').find((line) => line.startsWith(`| ${role} |`));
      const cells = row?.split('|').map((c) => c.trim()) ?? [];
      expect(
        [...(cells[2] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]),
        role,
      ).toEqual(permissions);
      // The routes given as examples exist, and the role may call them.
      for (const [, method, path] of (cells[3] ?? '').matchAll(/`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`/g)) {
        const route = routes.find((r) => r.name === `${method} ${path}`);
        expect(route && roleMay(role, route.access), `${role}: ${method} ${path}`).toBe(true);
      }
    }
    for (const [permission, words] of Object.entries(PERMISSIONS))
      expect(section, permission).toContain(`| \`${permission}\` | ${words} |`);
  });

  it("workspace A's credentials get 404 for each of B's resources, never see B's rows, change nothing of B", async () => {
    const ws = a.tenant.workspace;
    const creds = [
      keyCredential(a),
      await sessionCredential(ws.id, a.tenant.owner, 'owner', `${ws.name}: owner session`),
    ];
    const bIds = await identifiers(h.t.db, b.tenant.workspace.id);
    const before = await workspaceDigest(h.t.db, b.tenant.workspace.id);
    // Lists first, so nothing A tried against B's ids can be the reason A's lists mention them.
    const ordered = [
      ...routes.filter((r) => r.method === 'GET' && !r.pathParams.length),
      ...routes.filter((r) => r.method !== 'GET' || r.pathParams.length),
    ];
    const problems: string[] = [];
    for (const cred of creds) {
      for (const route of ordered) {
        const { res, sent } = await callRoute(route, b, cred).catch((err: Error) => {
          problems.push(err.message);
          return { res: null, sent: '' };
        });
        if (!res) continue;
        const where = `${cred.label}, ${route.name}`;
        for (const id of bIds)
          if (res.body.includes(id) && !sent.includes(id)) leaks.push(`${where}: shows ${id}`);
        if (res.statusCode === 500) problems.push(`${where}: ${said(res)}`);
        if (!route.pathParams.length) continue;
        // 403 only where A's credential may not call the route at all (its access level, or a session
        // only route called with a key), or where the route is about a whole workspace.
        const workspaceLevel = route.pathParams.some((p) => kindOfPathParam(route.path, p) === 'workspace');
        const refused =
          res.statusCode === 403 &&
          (!cred.may(route.access) || res.json().code === 'session_required' || workspaceLevel);
        if (res.statusCode !== 404 && !refused) problems.push(`${where}: ${said(res)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(leaks).toEqual([]);
    expect(await workspaceDigest(h.t.db, b.tenant.workspace.id)).toEqual(before);
  });

  it('each role is refused exactly the routes the access table refuses it, on its own workspace', async () => {
    const ws = a.tenant.workspace.id;
    const fresh = freshMakers(h, a.tenant);
    const problems: string[] = [];
    for (const role of ROLES) {
      const user = await addMember(h.t.db, ws, role, `walk-${role}@${a.tenant.workspace.slug}.test`);
      const cred = await sessionCredential(ws, user, role);
      for (const route of routes) {
        const { res } = await callRoute(route, a, cred, fresh).catch((err: Error) => {
          problems.push(err.message);
          return { res: null };
        });
        if (!res) continue;
        const where = `${role}, ${route.name} (access ${route.access})`;
        if (!roleMay(role, route.access)) {
          if (res.statusCode !== 403 || res.json().code !== 'forbidden')
            problems.push(`${where}: ${said(res)}`);
        } else if (res.statusCode === 500) {
          problems.push(`${where}: ${said(res)}`);
        } else if (route.access !== 'public' && (res.statusCode === 401 || res.statusCode === 403)) {
          // A public route checks its own proof (a provider's signature, a link's token) and may refuse it.
          problems.push(`${where}: ${said(res)}`);
        }
      }
    }
    console.log(
      `route walk: ${routes.length} routes × ${credentials.size} credentials = ${calls} calls, ${leaks.length} leaks`,
    );
    expect(problems).toEqual([]);
    expect(calls).toBe(routes.length * credentials.size);
    expect(leaks).toEqual([]);
  });
});
