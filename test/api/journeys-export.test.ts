import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from './graphs';
import { type Harness, harness, seedTenant, withKey } from './harness';

// The journey file round trip the web app's Export / Import buttons rely on, and how bad files are refused.

let h: Harness;
let key: string;
let other: string;
beforeAll(async () => {
  h = await harness('api_journeys_export');
  key = (await seedTenant(h.t.db, 'Export shop')).keys.all;
  other = (await seedTenant(h.t.db, 'Other shop')).keys.all;
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

describe('journey export / import', () => {
  it('round-trips the draft graph (positions included) into a new draft in another workspace', async () => {
    const graph = simpleGraph('order.delivered', {}, 4);
    const j = (await call('POST', '/v1/journeys', { name: 'Round trip', description: 'rt', graph })).json();
    const file = (await call('GET', `/v1/journeys/${j.id}/export`)).json();
    expect(file).toMatchObject({ format: 'hourglass.journey', formatVersion: 1, description: 'rt' });
    expect(file.graph).toEqual(graph);

    const imported = await call('POST', '/v1/journeys/import', file, other);
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ name: 'Round trip', status: 'draft', liveVersion: null });
    expect(imported.json().id).not.toBe(j.id);
    expect(imported.json().draftGraph).toEqual(graph);
    // The import is an ordinary draft: it validates like any other.
    const validate = await call('POST', `/v1/journeys/${imported.json().id}/validate`, {}, other);
    expect(validate.json().ok).toBe(true);
  });

  it('exports a published version by number, and 404s an unknown one', async () => {
    const j = (await call('POST', '/v1/journeys', { name: 'Versioned', graph: simpleGraph() })).json();
    expect((await call('POST', `/v1/journeys/${j.id}/publish`, {})).statusCode).toBe(201);
    await call('PATCH', `/v1/journeys/${j.id}`, { graph: simpleGraph('order.placed', {}, 9) });
    const v1 = (await call('GET', `/v1/journeys/${j.id}/export?version=1`)).json();
    const draft = (await call('GET', `/v1/journeys/${j.id}/export`)).json();
    expect(v1.graph).toEqual(simpleGraph());
    expect(draft.graph).toEqual(simpleGraph('order.placed', {}, 9));
    const missing = await call('GET', `/v1/journeys/${j.id}/export?version=7`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not_found');
    expect((await call('GET', `/v1/journeys/${j.id}/export?version=zero`)).statusCode).toBe(400);
  });

  it('refuses bad files with a stable code and the field at fault, creating nothing', async () => {
    const before = (await call('GET', '/v1/journeys')).json().length;
    const good = (await call('GET', '/v1/journeys')).json()[0];
    const file = (await call('GET', `/v1/journeys/${good.id}/export`)).json();

    const cases: Array<[unknown, number, string, string]> = [
      [{ format: 'other' }, 422, 'invalid_journey_file', 'body.format'],
      [{ ...file, formatVersion: 99 }, 422, 'invalid_journey_file', 'body.formatVersion'],
      [{ ...file, name: '' }, 422, 'invalid_journey_file', 'body.name'],
      [{ ...file, graph: { nodes: 'x', edges: [] } }, 422, 'invalid_journey_file', 'body.graph.nodes'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call('POST', '/v1/journeys/import', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.json()).toMatchObject({ code, field });
    }
    // Not an object at all: refused by request validation, never a 500.
    const list = await call('POST', '/v1/journeys/import', [file]);
    expect(list.statusCode).toBe(400);
    expect(typeof list.json().code).toBe('string');
    expect((await call('GET', '/v1/journeys')).json().length).toBe(before);
  });
});
