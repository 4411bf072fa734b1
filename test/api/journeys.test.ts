import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenGraph, simpleGraph } from './graphs';
import { type Harness, harness, seedTenant, withKey } from './harness';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await harness('api_journeys');
  key = (await seedTenant(h.t.db, 'Journeys shop')).keys.all;
});
afterAll(async () => h?.close());

const call = (method: string, url: string, payload?: unknown) =>
  h.app.inject(
    withKey(key, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );

describe('journeys', () => {
  it('validates, refuses to publish with errors, publishes immutable versions, diffs and rolls back', async () => {
    const j = (await call('POST', '/v1/journeys', { name: 'Broken', graph: brokenGraph })).json();
    const validate = await call('POST', `/v1/journeys/${j.id}/validate`, {});
    expect(validate.json().ok).toBe(false);
    expect(validate.json().diagnostics.map((d: { code: string }) => d.code)).toContain('trigger.missing');
    const refused = await call('POST', `/v1/journeys/${j.id}/publish`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'journey_invalid', diagnostics: expect.any(Array) });

    await call('PATCH', `/v1/journeys/${j.id}`, { graph: simpleGraph('order.placed', {}, 3) });
    const v1 = await call('POST', `/v1/journeys/${j.id}/publish`, { note: 'first' });
    expect(v1.statusCode).toBe(201);
    expect(v1.json().version).toMatchObject({
      version: 1,
      note: 'first',
      author: expect.stringMatching(/^api_key:/),
    });
    await call('PATCH', `/v1/journeys/${j.id}`, { graph: simpleGraph('order.placed', {}, 5) });
    const v2 = (await call('POST', `/v1/journeys/${j.id}/publish`, {})).json();
    expect(v2.version.version).toBe(2);
    expect(v2.version.planHash).not.toBe(v1.json().version.planHash);

    const one = (await call('GET', `/v1/journeys/${j.id}/versions/1`)).json();
    expect(one.graph.nodes.find((n: { id: string }) => n.id === 'wait').data.config.amount).toBe(3);
    const diff = (await call('GET', `/v1/journeys/${j.id}/diff?from=1&to=2`)).json();
    expect(diff).toMatchObject({
      planChanged: true,
      nodes: [{ nodeId: 'wait', change: 'changed', fields: ['config.amount'] }],
    });

    const rollback = await call('POST', `/v1/journeys/${j.id}/rollback`, { version: 1 });
    expect(rollback.statusCode).toBe(201);
    expect(rollback.json().version).toMatchObject({ version: 3, planHash: one.planHash });
    const versions = (await call('GET', `/v1/journeys/${j.id}/versions`)).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect((await call('GET', `/v1/journeys/${j.id}`)).json()).toMatchObject({
      status: 'live',
      liveVersion: 3,
    });
  });

  it('pauses, resumes and archives, refusing impossible transitions', async () => {
    const j = (await call('POST', '/v1/journeys', { name: 'Life', graph: simpleGraph() })).json();
    expect((await call('POST', `/v1/journeys/${j.id}/pause`)).statusCode).toBe(409);
    await call('POST', `/v1/journeys/${j.id}/publish`, {});
    const paused = await call('POST', `/v1/journeys/${j.id}/pause`);
    expect(paused.json()).toMatchObject({ journey: { status: 'paused' }, signalled: 0, failed: 0 });
    expect((await call('POST', `/v1/journeys/${j.id}/resume`)).json().journey.status).toBe('live');
    expect((await call('POST', `/v1/journeys/${j.id}/archive`)).json().journey.status).toBe('archived');
    expect((await call('PATCH', `/v1/journeys/${j.id}`, { name: 'x' })).statusCode).toBe(409);
    expect((await call('DELETE', `/v1/journeys/${j.id}`)).statusCode).toBe(409);
  });

  it('exports and imports journeys as JSON, and creates drafts from templates', async () => {
    const j = (
      await call('POST', '/v1/journeys', { name: 'Portable', description: 'd', graph: simpleGraph() })
    ).json();
    const file = (await call('GET', `/v1/journeys/${j.id}/export`)).json();
    expect(file).toMatchObject({ format: 'hourglass.journey', formatVersion: 1, name: 'Portable' });
    // A copy in the same workspace takes the next free name (names are unique per workspace).
    const imported = await call('POST', '/v1/journeys/import?renameIfTaken=true', file);
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ name: 'Portable (2)', draftGraph: file.graph });
    const bad = await call('POST', '/v1/journeys/import', { format: 'other' });
    expect(bad.statusCode).toBe(422);
    const templates = (await call('GET', '/v1/journeys/templates')).json();
    expect(templates.length).toBeGreaterThan(5);
    const fromTemplate = await call('POST', '/v1/journeys', { name: 'T', templateKey: templates[0].id });
    expect(fromTemplate.json().draftGraph.nodes.length).toBeGreaterThan(1);
    const ok = await call('POST', `/v1/journeys/${fromTemplate.json().id}/validate`, {});
    expect(ok.json().ok).toBe(true);
    expect((await call('DELETE', `/v1/journeys/${j.id}`)).statusCode).toBe(200);
  });
});
