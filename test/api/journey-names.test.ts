import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from './graphs';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Journey names are unique per workspace, in any case; archived journeys free their name.

let h: Harness;
let key: string;
let otherKey: string;
beforeAll(async () => {
  h = await harness('api_journey_names');
  key = (await seedTenant(h.t.db, 'Names shop')).keys.all;
  otherKey = (await seedTenant(h.t.db, 'Other names shop')).keys.all;
});
afterAll(async () => h?.close());

const call = (method: string, url: string, payload?: unknown, as = key) =>
  h.app.inject(
    withKey(as, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );
const names = async () =>
  ((await call('GET', '/v1/journeys')).json() as Array<{ name: string }>).map((j) => j.name).sort();
const taken = { code: 'journey.name_taken', field: 'body.name' };

describe('journey names', () => {
  it('refuses a taken name on create, rename and import with 409 journey.name_taken, saving nothing', async () => {
    const first = (await call('POST', '/v1/journeys', { name: 'Win-back', graph: simpleGraph() })).json();
    const again = await call('POST', '/v1/journeys', { name: '  WIN-BACK ' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ...taken, message: expect.stringContaining('WIN-BACK') });
    // Another workspace has its own names.
    expect((await call('POST', '/v1/journeys', { name: 'Win-back' }, otherKey)).statusCode).toBe(201);

    const second = (await call('POST', '/v1/journeys', { name: 'Thank you' })).json();
    const rename = await call('PATCH', `/v1/journeys/${second.id}`, {
      name: 'win-back',
      graph: simpleGraph(),
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json()).toMatchObject(taken);
    const unchanged = (await call('GET', `/v1/journeys/${second.id}`)).json();
    expect(unchanged).toMatchObject({ name: 'Thank you', draftGraph: { nodes: [] } });
    // Its own name in another case is not a conflict.
    const recased = await call('PATCH', `/v1/journeys/${first.id}`, { name: 'Win-Back' });
    expect(recased.json()).toMatchObject({ name: 'Win-Back' });

    const file = (await call('GET', `/v1/journeys/${first.id}/export`)).json();
    const imported = await call('POST', '/v1/journeys/import', file);
    expect(imported.statusCode).toBe(409);
    expect(imported.json()).toMatchObject(taken);
    const copy = await call('POST', '/v1/journeys/import?renameIfTaken=true', file);
    expect(copy.statusCode).toBe(201);
    expect(copy.json()).toMatchObject({ name: 'Win-Back (2)', draftGraph: file.graph });
    expect((await call('POST', '/v1/journeys/import?renameIfTaken=yes', file)).json()).toMatchObject({
      code: 'invalid_request',
      field: 'querystring.renameIfTaken',
    });
    expect(await names()).toEqual(['Thank you', 'Win-Back', 'Win-Back (2)']);
  });

  it('numbers a template used again ("Use template"): "<name> (2)", "(3)"…, also when used at once', async () => {
    const t = templates[0]!;
    const use = () => call('POST', '/v1/journeys', { name: t.name, templateKey: t.id, renameIfTaken: true });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await use());
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(made.map((r) => r.json().name)).toEqual([t.name, `${t.name} (2)`, `${t.name} (3)`]);
    // Without asking, the template's name is refused like any other.
    expect((await call('POST', '/v1/journeys', { name: t.name, templateKey: t.id })).json()).toMatchObject(
      taken,
    );
    const burst = await Promise.all(Array.from({ length: 5 }, use));
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const all = (await names()).filter((n) => n.startsWith(t.name));
    expect(new Set(all.map((n) => n.toLowerCase())).size).toBe(8);
  });

  it('frees the name of an archived journey', async () => {
    const old = (await call('POST', '/v1/journeys', { name: 'Anniversary', graph: simpleGraph() })).json();
    await call('POST', `/v1/journeys/${old.id}/publish`, {});
    expect((await call('POST', `/v1/journeys/${old.id}/archive`)).statusCode).toBe(200);
    const fresh = await call('POST', '/v1/journeys', { name: 'anniversary' });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().name).toBe('anniversary');
  });
});
