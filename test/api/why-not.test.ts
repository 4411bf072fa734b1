import { randomBytes } from 'node:crypto';
import { listCustomerDecisions, recordRoutingDecisions } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withKey } from './harness';
import { type EngineHarness, engineHarness } from './support-engine';

type Profile = contract.CustomerProfile;
type RunTimelineView = contract.RunTimelineView;

// "Why not?" on the real engine: routing records, per journey whose trigger event a customer had, whether
// they entered and why not (a draft journey, a failed filter with its values, an entry rule); sends keep
// the consent rule they went out under; a waiting run's timeline names the events it ignored.

let h: EngineHarness;
const tag = randomBytes(3).toString('hex');
const zone = 'Asia/Tokyo';

const customer = (key: string, extra: Record<string, unknown> = {}) => ({
  externalId: `cus_${key}_${tag}`,
  email: `${key}-${tag}@example.com`,
  firstName: key,
  timezone: zone,
  ...extra,
});
const event = (key: string, type: string, order: string, extra: Record<string, unknown> = {}) => ({
  id: `evt_${key}_${type}_${order}_${randomBytes(2).toString('hex')}`,
  type,
  occurredAt: new Date().toISOString(),
  customer: customer(key),
  order: { externalId: `ord_${order}_${tag}`, total: 40, currency: 'USD', items: [] },
  ...extra,
});

/** The customer's profile once it has `n` decisions (routing is asynchronous). */
const profileWith = async (key: string, n: number) => {
  const list = await h.get<{ id: string }[]>(`/v1/customers?q=${key}-${tag}@example.com`);
  const id = list.body[0]?.id;
  if (!id) throw new Error(`no customer ${key}`);
  return h.until(async () => {
    const p = await h.get<Profile>(`/v1/customers/${id}`);
    return p.body.decisions.length >= n ? p.body : null;
  });
};
const decisionOf = (p: Profile, journey: string, eventType = 'order.placed') =>
  p.decisions.find((d) => d.journeyName === journey && d.eventType === eventType);

const exitOnly = (trigger: Record<string, unknown>) =>
  graphBuilder()
    .node('trigger', 'trigger', trigger, 'Order placed')
    .node('done', 'exit', { label: 'Done' })
    .edge('trigger', 'done')
    .build();

beforeAll(async () => {
  h = await engineHarness('api_why_not');
  // A draft that starts on order.placed, as the demo's templates are before anyone publishes them.
  const draft = await h.app.inject(
    withKey(h.tenant.keys.write, {
      method: 'POST',
      url: '/v1/journeys',
      payload: { name: 'Review request', graph: exitOnly({}) },
    }),
  );
  expect(draft.statusCode).toBe(201);
  await h.publish(
    'Big spenders',
    exitOnly({
      start: {
        kind: 'event',
        eventType: 'order.placed',
        filter: { field: 'order.total', op: 'gt', value: 100 },
      },
    }),
  );
  await h.publish('Welcome once', exitOnly({ scope: 'customer', entry: { rule: 'once_per_customer' } }));
  await h.publish(
    'Confirmation',
    graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node(
        'confirm',
        'send_email',
        { subject: 'Order confirmed', body: 'Thanks for your order.', transactional: true },
        'Confirmation email',
      )
      .node('done', 'exit', { label: 'Confirmed' })
      .edge('trigger', 'confirm')
      .edge('confirm', 'done')
      .build(),
  );
  await h.publish(
    'Delivery updates',
    graphBuilder()
      .node('trigger', 'trigger', { entry: { rule: 'once_per_order' } }, 'Order placed')
      .node(
        'wait_ofd',
        'wait_for_event',
        { eventType: 'order.out_for_delivery', timeoutAmount: 14, timeoutUnit: 'days' },
        'Wait for out for delivery',
      )
      .node('done', 'exit', { label: 'Out for delivery' })
      .edge('trigger', 'wait_ofd')
      .edge('wait_ofd', 'done', 'happened')
      .edge('wait_ofd', 'done', 'timed_out')
      .build(),
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('why a customer did not enter', () => {
  let kenji: Profile;
  let placed: ReturnType<typeof event>;
  beforeAll(async () => {
    placed = event('kenji', 'order.placed', 'k1');
    await h.ingest(placed);
    // Five journeys start on order.placed: the draft and the four live ones.
    kenji = await profileWith('kenji', 5);
  }, 60_000);

  it('a draft journey: "Did not enter …: the journey was a draft when order.placed … arrived at …"', () => {
    const d = decisionOf(kenji, 'Review request')!;
    expect(d).toMatchObject({
      outcome: 'not_live',
      entered: false,
      journeyStatus: 'draft',
      eventId: placed.id,
    });
    expect(d.text).toMatch(
      new RegExp(
        `^Did not enter "Review request": the journey was a draft \\(not published\\) when order\\.placed ${placed.id} arrived at \\w{3}, \\w{3} \\d+, \\d\\d:\\d\\d \\(Asia/Tokyo\\)$`,
      ),
    );
  });

  it('a failed trigger filter: the field, operator, expected and actual values', () => {
    const d = decisionOf(kenji, 'Big spenders')!;
    expect(d.outcome).toBe('filter');
    expect(d.conditions).toEqual([
      { field: 'order.total', op: 'gt', expected: 100, actual: 40, passed: false },
    ]);
    expect(d.text).toContain(`the trigger's filter did not match order.placed ${placed.id}`);
    expect(d.text).toContain('Order total $40 ≤ $100');
  });

  it('entered journeys say so, with the run and the entry rule', () => {
    const d = decisionOf(kenji, 'Welcome once')!;
    expect(d).toMatchObject({ outcome: 'entered', entered: true });
    expect(d.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.text).toMatch(
      /^Entered "Welcome once" because of order\.placed .*, entry rule once per customer$/,
    );
  });

  it('an entry rule: once per customer, a second order does not enter again', async () => {
    const second = event('kenji', 'order.placed', 'k2');
    await h.ingest(second);
    const p = await h.until(async () => {
      const list = await h.get<Profile>(`/v1/customers/${kenji.customer.id}`);
      return list.body.decisions.some((d) => d.eventId === second.id && d.journeyName === 'Welcome once')
        ? list.body
        : null;
    });
    const d = p.decisions.find((x) => x.eventId === second.id && x.journeyName === 'Welcome once')!;
    expect(['already_entered', 'already_running']).toContain(d.outcome);
    expect(d.text).toMatch(
      d.outcome === 'already_entered'
        ? /^Did not enter "Welcome once" on order\.placed .*: entry rule once per customer, and the customer has already been through it$/
        : /already in the journey \(a run for the customer is still going\)$/,
    );
  });
});

describe('consent kept on the message', () => {
  it('transactional mail to an unsubscribed customer says opt-out does not apply', async () => {
    await h.ingest({
      ...event('optout', 'order.placed', 'o1'),
      customer: customer('optout', { consent: { email: 'unsubscribed' } }),
    });
    await h.ingest({
      ...event('optin', 'order.placed', 'o2'),
      customer: customer('optin', { consent: { email: 'subscribed' } }),
    });
    const sent = async (key: string) =>
      h.until(async () => {
        const list = await h.get<contract.MessageLogRow[]>(`/v1/messages?status=sent`);
        return list.body.find((m) => m.toAddress === `${key}-${tag}@example.com`);
      });
    const optout = await sent('optout');
    const detail = await h.get<contract.MessageDetail>(`/v1/messages/${optout.id}`);
    expect(detail.body.consentNote).toBe(
      'Sent although unsubscribed from marketing email: opt-out does not apply to transactional messages',
    );
    // The run timeline shows the same note with the message.
    const t = await h.get<RunTimelineView>(`/v1/runs/${optout.runId}/timeline`);
    const msg = t.body.entries.flatMap((e) => e.messages).find((m) => m.id === optout.id);
    expect(msg?.consentNote).toBe(detail.body.consentNote);
    const optin = await sent('optin');
    expect(optin.consentNote).toBe(
      'Transactional: sent whatever the marketing consent (email consent subscribed)',
    );
  });
});

describe('events a waiting run ignored', () => {
  it('order.delivered while waiting for order.out_for_delivery: on the timeline and the profile', async () => {
    await h.ingest(event('late', 'order.placed', 'l1'));
    const late = await profileWith('late', 1);
    const run = await h.until(async () => {
      const runs = await h.get<contract.Run[]>(`/v1/runs?status=waiting&customerId=${late.customer.id}`);
      const id = runs.body[0]?.id;
      return id ? (await h.get<RunTimelineView>(`/v1/runs/${id}/timeline`)).body : null;
    });
    expect(run.run.waitingFor).toMatchObject({ kind: 'await', eventType: 'order.out_for_delivery' });
    const delivered = event('late', 'order.delivered', 'l1');
    await h.ingest(delivered);
    const t = await h.until(async () => {
      const r = await h.get<RunTimelineView>(`/v1/runs/${run.run.id}/timeline`);
      return r.body.entries.some((e) => e.primitive === 'ignored') ? r.body : null;
    });
    const line = t.entries.find((e) => e.primitive === 'ignored')!;
    expect(line.title).toMatch(
      new RegExp(
        `^order\\.delivered ${delivered.id} arrived at .* \\(Asia/Tokyo\\) and was ignored: this step waits for order\\.out_for_delivery$`,
      ),
    );
    expect(line).toMatchObject({ nodeId: 'wait_ofd', nodeLabel: 'Wait for out for delivery' });
    // Still waiting, and the line sits after the wait it was ignored by.
    expect(t.run.status).toBe('waiting');
    expect(t.entries.findIndex((e) => e.nodeId === 'wait_ofd')).toBeLessThan(t.entries.indexOf(line));
    const p = await h.get<Profile>(`/v1/customers/${t.customer.id}`);
    const d = p.body.decisions.find((x) => x.outcome === 'ignored')!;
    expect(d).toMatchObject({ runId: run.run.id, eventId: delivered.id, journeyName: 'Delivery updates' });
  });
});

describe('isolation and hostile input', () => {
  it("another workspace's customer id is a 404, never its decisions", async () => {
    const mine = await profileWith('kenji', 5);
    const res = await h.get<{ code: string }>(`/v1/customers/${mine.customer.id}`, h.other.keys.read);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(JSON.stringify(res.body)).not.toContain('Review request');
    // Nor does the query itself, asked for the other workspace, return this one's rows.
    expect(await listCustomerDecisions(h.t.db, h.other.workspace.id, mine.customer.id)).toEqual([]);
  });

  it('a malformed id is a 400 naming the field', async () => {
    const res = await h.get<{ code: string; field: string }>('/v1/customers/not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('params.id');
  });
});

describe('bounded storage', () => {
  it("keeps each customer's newest decisions only", async () => {
    const p = await profileWith('kenji', 5);
    const ws = h.tenant.workspace.id;
    const journeyId = p.decisions[0]!.journeyId;
    for (let i = 0; i < 5; i++) {
      const at = new Date();
      await recordRoutingDecisions(
        h.t.db,
        ws,
        p.customer.id,
        [{ journeyId, eventId: `evt_cap_${i}`, eventType: 'page.viewed', eventAt: at, outcome: 'not_live' }],
        3,
      );
    }
    const kept = await listCustomerDecisions(h.t.db, ws, p.customer.id);
    expect(kept.map((d: { eventId: string }) => d.eventId)).toEqual(['evt_cap_4', 'evt_cap_3', 'evt_cap_2']);
  });
});
