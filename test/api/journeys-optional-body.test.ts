import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenGraph, simpleGraph } from './graphs';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Validate and publish document their body as optional: a client may send none at all (no body, no
// content type), `{}`, or the fields. Fastify hands a missing body to the validator as null, which
// used to answer 400.

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await harness('api_journeys_optional_body');
  key = (await seedTenant(h.t.db, 'Optional bodies')).keys.all;
});
afterAll(async () => h?.close());

const create = async (graph: unknown) => {
  const res = await h.app.inject(
    withKey(key, {
      method: 'POST',
      url: '/v1/journeys',
      payload: { name: 'Bodies', graph, renameIfTaken: true },
    }),
  );
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const post = (url: string, payload?: object) =>
  h.app.inject(withKey(key, { method: 'POST', url, ...(payload ? { payload } : {}) }));

describe('validate and publish with an optional body', () => {
  it('validate: no body, {} and a graph', async () => {
    const id = await create(simpleGraph());
    // No payload: inject sends neither a body nor a content type.
    const none = await post(`/v1/journeys/${id}/validate`);
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ ok: true, diagnostics: [] });
    expect((await post(`/v1/journeys/${id}/validate`, {})).json()).toEqual({ ok: true, diagnostics: [] });
    const given = await post(`/v1/journeys/${id}/validate`, { graph: brokenGraph });
    expect(given.statusCode).toBe(200);
    expect(given.json().ok).toBe(false);
    // A body that is there must still be right.
    const wrong = await post(`/v1/journeys/${id}/validate`, { graph: { nodes: 'no' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'invalid_request', field: 'body.graph.nodes' });
  });

  it('publish: no body, {} and a note', async () => {
    const id = await create(simpleGraph());
    const none = await post(`/v1/journeys/${id}/publish`);
    expect(none.statusCode).toBe(201);
    expect(none.json().version).toMatchObject({ version: 1, note: null });
    const empty = await post(`/v1/journeys/${id}/publish`, {});
    expect(empty.statusCode).toBe(201);
    expect(empty.json().version).toMatchObject({ version: 2, note: null });
    const noted = await post(`/v1/journeys/${id}/publish`, { note: 'Third time' });
    expect(noted.statusCode).toBe(201);
    expect(noted.json().version).toMatchObject({ version: 3, note: 'Third time' });
    const tooLong = await post(`/v1/journeys/${id}/publish`, { note: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ code: 'invalid_request', field: 'body.note' });
  });

  it('publish with no body still refuses a draft with errors (422 with diagnostics)', async () => {
    const id = await create(brokenGraph);
    const res = await post(`/v1/journeys/${id}/publish`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'journey_invalid', diagnostics: expect.any(Array) });
  });
});
