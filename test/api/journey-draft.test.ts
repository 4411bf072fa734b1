import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from './graphs';
import { type Harness, harness, login, seedTenant, withKey } from './harness';

// A live journey's draft against its live version: the journey says when they differ (positions aside),
// and "discard draft changes" puts the live graph back, audited, for those who may edit journeys only.

let h: Harness;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
beforeAll(async () => {
  h = await harness('api_journey_draft');
  tenant = await seedTenant(h.t.db, 'Draft shop');
  other = await seedTenant(h.t.db, 'Other shop');
});
afterAll(async () => h?.close());

const call = (method: string, url: string, payload?: unknown, key = tenant.keys.all) =>
  h.app.inject(
    withKey(key, {
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    }),
  );

async function liveJourney(name: string) {
  const j = (await call('POST', '/v1/journeys', { name, graph: simpleGraph('order.placed', {}, 3) })).json();
  expect(j.draftDiffers).toBe(false);
  expect((await call('POST', `/v1/journeys/${j.id}/publish`, {})).statusCode).toBe(201);
  return j.id as string;
}

describe('draft against the live version', () => {
  it('says the draft differs after an edit, not after moving steps, and not before publishing', async () => {
    const draft = (await call('POST', '/v1/journeys', { name: 'Never live', graph: simpleGraph() })).json();
    const edited = await call('PATCH', `/v1/journeys/${draft.id}`, {
      graph: simpleGraph('order.placed', {}, 9),
    });
    expect(edited.json().draftDiffers).toBe(false);

    const id = await liveJourney('Live one');
    expect((await call('GET', `/v1/journeys/${id}`)).json()).toMatchObject({
      liveVersion: 1,
      draftDiffers: false,
    });

    const moved = simpleGraph('order.placed', {}, 3);
    for (const n of moved.nodes) n.position = { x: n.position.x + 50, y: 120 };
    const afterMove = await call('PATCH', `/v1/journeys/${id}`, { graph: moved });
    expect(afterMove.json().draftDiffers).toBe(false);

    const afterEdit = await call('PATCH', `/v1/journeys/${id}`, {
      graph: simpleGraph('order.placed', {}, 5),
    });
    expect(afterEdit.statusCode).toBe(200);
    expect(afterEdit.json()).toMatchObject({ status: 'live', liveVersion: 1, draftDiffers: true });
    expect((await call('GET', `/v1/journeys/${id}`)).json().draftDiffers).toBe(true);

    // Publishing the draft makes it the live version again.
    expect((await call('POST', `/v1/journeys/${id}/publish`, {})).statusCode).toBe(201);
    expect((await call('GET', `/v1/journeys/${id}`)).json()).toMatchObject({
      liveVersion: 2,
      draftDiffers: false,
    });
  });

  it('discards the draft: the live graph comes back, the live version and history stay, audited', async () => {
    const id = await liveJourney('To discard');
    await call('PATCH', `/v1/journeys/${id}`, { graph: simpleGraph('order.placed', {}, 11) });

    const res = await call('POST', `/v1/journeys/${id}/discard-draft`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ liveVersion: 1, status: 'live', draftDiffers: false });
    expect(body.draftGraph.nodes.find((n: { id: string }) => n.id === 'wait').data.config.amount).toBe(3);
    const versions = (await call('GET', `/v1/journeys/${id}/versions`)).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1]);

    const owner = await login(h.app, tenant.owner.email);
    const audit = await h.app.inject({
      method: 'GET',
      url: '/v1/audit?action=journey.discard_draft',
      headers: { cookie: owner.cookie },
    });
    expect(audit.json()).toEqual([
      expect.objectContaining({
        action: 'journey.discard_draft',
        target: id,
        actor: expect.stringMatching(/^api_key:/),
      }),
    ]);
  });

  it('refuses what cannot be discarded, and callers who may not edit journeys', async () => {
    const draft = (await call('POST', '/v1/journeys', { name: 'Only a draft', graph: simpleGraph() })).json();
    const never = await call('POST', `/v1/journeys/${draft.id}/discard-draft`);
    expect(never.statusCode).toBe(409);
    expect(never.json().code).toBe('journey_not_published');

    const id = await liveJourney('Guarded');
    await call('PATCH', `/v1/journeys/${id}`, { graph: simpleGraph('order.placed', {}, 7) });
    const readOnly = await call('POST', `/v1/journeys/${id}/discard-draft`, undefined, tenant.keys.read);
    expect(readOnly.statusCode).toBe(403);
    const viewer = await login(h.app, tenant.viewer.email);
    const asViewer = await h.app.inject({
      method: 'POST',
      url: `/v1/journeys/${id}/discard-draft`,
      headers: { ...viewer, 'x-workspace-id': tenant.workspace.id },
    });
    expect(asViewer.statusCode).toBe(403);
    // Another workspace's journey does not exist for this caller.
    const foreign = await call('POST', `/v1/journeys/${id}/discard-draft`, undefined, other.keys.all);
    expect(foreign.statusCode).toBe(404);
    expect((await call('GET', `/v1/journeys/${id}`)).json().draftDiffers).toBe(true);

    await call('POST', `/v1/journeys/${id}/archive`);
    const archived = await call('POST', `/v1/journeys/${id}/discard-draft`);
    expect(archived.statusCode).toBe(409);
    expect(archived.json().code).toBe('journey_archived');
  });
});
