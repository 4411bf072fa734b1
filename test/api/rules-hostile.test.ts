import { createSegment } from '@hourglass/db';
import { evaluateRule, MAX_EXPANDED_CONDITIONS, type Rule } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, orderEvent, seedTenant, withKey } from './harness';

// Hostile rules: field names that reach the prototype, values of the wrong type, and segments that
// multiply through their references. Each is a 400 with a stable code and the field at fault, nothing
// is stored, and the app stays healthy.

let h: Harness;
let key: string;
let workspaceId: string;

beforeAll(async () => {
  h = await harness('api_rules_hostile');
  const tenant = await seedTenant(h.t.db, 'Hostile rules shop');
  key = tenant.keys.all;
  workspaceId = tenant.workspace.id;
  for (const [name, birthday] of [
    ['may', '1990-05-01'],
    ['june', '1985-06-15'],
  ] as const) {
    const e = orderEvent(name, 120);
    const res = await call('POST', '/v1/events', { ...e, customer: { ...e.customer, birthday } });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterAll(async () => h?.close());

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return h.app.inject(
    withKey(key, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) }),
  );
}

const segmentCount = async () => (await call('GET', '/v1/segments')).json().length as number;

async function expectRefused(
  rule: unknown,
  code: string,
  field: string,
  routes: ('preview' | 'create')[] = ['preview', 'create'],
) {
  const before = await segmentCount();
  for (const route of routes) {
    const res =
      route === 'preview'
        ? await call('POST', '/v1/segments/preview', { rule })
        : await call('POST', '/v1/segments', { name: 'hostile', rule });
    expect(res.statusCode, `${route} ${JSON.stringify(rule)} → ${res.body}`).toBe(400);
    expect(res.json(), route).toMatchObject({ code, field, message: expect.any(String) });
  }
  expect(await segmentCount()).toBe(before);
}

const PROTO_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

describe('rule field names', () => {
  it.each(PROTO_KEYS)('customer.%s is an unknown field at preview and save', async (k) => {
    await expectRefused({ field: `customer.${k}`, op: 'exists' }, 'rule.unknown_field', 'body.rule.field');
    await expectRefused(
      {
        all: [
          { field: 'customer.stats.aov', op: 'gt', value: 1 },
          { not: { field: `customer.${k}`, op: 'exists' } },
        ],
      },
      'rule.unknown_field',
      'body.rule.all.1.not.field',
    );
  });

  it.each([
    'customer.attributes.__proto__',
    'customer.attributes.constructor',
    'customer.attributes.plan.prototype',
    'customer.consent.__proto__',
  ])('free-form path %s still refuses object machinery', async (field) => {
    await expectRefused({ field, op: 'eq', value: 'x' }, 'rule.unknown_field', 'body.rule.field');
  });

  it('leaves attribute paths free-form', async () => {
    const res = await call('POST', '/v1/segments/preview', {
      rule: { field: 'customer.attributes.loyalty.tier_2', op: 'exists' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses an update to a bad rule and keeps the stored one', async () => {
    const good: Rule = { field: 'customer.stats.aov', op: 'gt', value: 100 };
    const seg = (await call('POST', '/v1/segments', { name: 'good', rule: good })).json();
    const res = await call('PATCH', `/v1/segments/${seg.id}`, {
      rule: { any: [good, { field: 'customer.valueOf', op: 'exists' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'rule.unknown_field', field: 'body.rule.any.1.field' });
    expect((await call('GET', `/v1/segments/${seg.id}`)).json().rule).toEqual(good);
  });
});

describe('rule values', () => {
  it.each([
    [{ field: 'customer.birthday', op: 'in', value: [1, 'a'] }, 'body.rule.value'],
    [{ field: 'customer.birthday', op: 'eq', value: 'a' }, 'body.rule.value'],
    [{ field: 'customer.birthday', op: 'gt', value: '1990-02-30' }, 'body.rule.value'],
    [{ field: 'customer.stats.aov', op: 'gt', value: 'lots' }, 'body.rule.value'],
    [{ field: 'customer.stats.ordersCount', op: 'in', value: 3 }, 'body.rule.value'],
    [{ field: 'customer.tags', op: 'contains', value: { a: 1 } }, 'body.rule.value'],
    [{ all: [{ field: 'customer.createdAt', op: 'lt', value: 5 }] }, 'body.rule.all.0.value'],
  ])('%j is an invalid value', async (rule, field) => {
    await expectRefused(rule, 'rule.invalid_value', field);
  });

  it('refuses an operator the field has no use for', async () => {
    await expectRefused(
      { field: 'customer.stats.aov', op: 'contains', value: 1 },
      'rule.invalid_op',
      'body.rule.op',
    );
  });

  it('answers well-typed date rules, in SQL as in memory', async () => {
    const customers = (await call('GET', '/v1/customers')).json() as {
      id: string;
      birthday: string | null;
    }[];
    const rules: Rule[] = [
      { field: 'customer.birthday', op: 'in', value: ['1990-05-01', '2000-01-01'] },
      { field: 'customer.birthday', op: 'gte', value: '1988-01-01' },
      { field: 'customer.birthday', op: 'eq', value: '1985-06-15' },
      { field: 'customer.birthday', op: 'neq', value: null },
      { field: 'customer.birthday', op: 'exists' },
    ];
    for (const rule of rules) {
      const res = await call('POST', '/v1/segments/preview', { rule, sample: 100 });
      expect(res.statusCode, `${JSON.stringify(rule)} → ${res.body}`).toBe(200);
      const expected = customers
        .filter((c) => evaluateRule(rule, { customer: { birthday: c.birthday } }).result)
        .map((c) => c.id)
        .sort();
      expect(expected.length, JSON.stringify(rule)).toBeGreaterThan(0);
      expect(
        res
          .json()
          .sample.map((s: { id: string }) => s.id)
          .sort(),
        JSON.stringify(rule),
      ).toEqual(expected);
    }
  });
});

describe('segment references', () => {
  const cond = (n: number): Rule => ({ field: 'customer.stats.aov', op: 'gt', value: n });

  // Seven levels, each using the previous one 100 times (10^14 conditions if expanded), written
  // straight to the database as a workspace could have them from before the budget.
  async function chain(levels = 7, width = 100): Promise<string[]> {
    const ids: string[] = [];
    let rule: Rule = { any: Array.from({ length: width }, (_, i) => cond(i)) };
    for (let level = 0; level < levels; level++) {
      const row = await createSegment(h.t.db, workspaceId, { name: `level ${level}`, rule });
      ids.push(row.id);
      rule = { any: Array.from({ length: width }, () => ({ segment: row.id })) };
    }
    return ids;
  }

  it('refuses a chain that multiplies past the budget, quickly, and stays healthy', async () => {
    const ids = await chain();
    const top = ids.at(-1)!;
    const customer = (await call('GET', '/v1/customers')).json()[0].id;
    const before = await segmentCount();
    const started = Date.now();
    const attempts = [
      await call('POST', '/v1/segments/preview', { rule: { segment: top } }),
      await call('POST', '/v1/segments', { name: 'on top', rule: { all: [{ segment: top }, cond(1)] } }),
      await call('PATCH', `/v1/segments/${ids[0]}`, { rule: { segment: top } }),
      await call('GET', `/v1/segments/${top}/preview`),
      await call('GET', `/v1/segments/${top}/members/${customer}`),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('segment.too_complex');
    }
    expect(attempts[0]!.json().field).toBe('body.rule');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await segmentCount()).toBe(before);
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode, health.body).toBe(200);
    // One level down is within the budget only if it really is: 100 + 100 × 100 is not.
    expect((await call('GET', `/v1/segments/${ids[0]}/preview`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/segments/${ids[1]}/preview`)).json().code).toBe('segment.too_complex');
  });

  it('refuses to build the chain through the API at the first level over the budget', async () => {
    const four = [cond(1), cond(2), cond(3), cond(4)];
    const base = (await call('POST', '/v1/segments', { name: 'base', rule: { all: four } })).json();
    const refs = (n: number) => Array.from({ length: n }, () => ({ segment: base.id }));
    // 200 references × (1 + 4) = 1,000: exactly the budget, allowed.
    const ok = await call('POST', '/v1/segments', { name: 'wide', rule: { any: refs(200) } });
    expect(ok.statusCode, ok.body).toBe(201);
    const before = await segmentCount();
    // 201 references: 1,005.
    const over = await call('POST', '/v1/segments', {
      name: 'too wide',
      rule: { any: [{ any: refs(200) }, ...refs(1)] },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'segment.too_complex', field: 'body.rule' });
    expect(await segmentCount()).toBe(before);
    // Growing the base would grow "wide" past the budget: the update is refused and names "wide".
    const grow = await call('PATCH', `/v1/segments/${base.id}`, { rule: { all: [...four, cond(5)] } });
    expect(grow.statusCode).toBe(400);
    expect(grow.json()).toMatchObject({ code: 'segment.too_complex', field: 'body.rule' });
    expect(grow.json().message).toContain('"wide"');
    expect((await call('GET', `/v1/segments/${base.id}`)).json().rule).toEqual({ all: four });
    expect(MAX_EXPANDED_CONDITIONS).toBe(1_000);
  });
});

// trigger (filter) → branch (case rule) → two exits.
function graphWith(filter: Rule | null, when: unknown) {
  return {
    nodes: [
      {
        id: 't',
        type: 'trigger',
        position: { x: 0, y: 0 },
        data: { config: { start: { kind: 'event', eventType: 'order.placed', filter } }, version: 1 },
      },
      {
        id: 'b',
        type: 'branch',
        position: { x: 200, y: 0 },
        data: { config: { cases: [{ id: 'vip', label: 'VIP', when }] }, version: 1 },
      },
      { id: 'x1', type: 'exit', position: { x: 400, y: 0 }, data: { config: {}, version: 1 } },
      { id: 'x2', type: 'exit', position: { x: 400, y: 100 }, data: { config: {}, version: 1 } },
    ],
    edges: [
      { id: 'e1', source: 't', sourceHandle: 'out', target: 'b' },
      { id: 'e2', source: 'b', sourceHandle: 'vip', target: 'x1' },
      { id: 'e3', source: 'b', sourceHandle: 'else', target: 'x2' },
    ],
  };
}

describe('journey rules', () => {
  type Diag = { nodeId: string; field?: string; code: string; severity: string };

  let made = 0;
  async function check(graph: unknown) {
    // Journey names are unique per workspace: one name per journey made here.
    const j = (await call('POST', '/v1/journeys', { name: `Hostile ${++made}`, graph })).json();
    const validate = (await call('POST', `/v1/journeys/${j.id}/validate`, {})).json();
    const publish = await call('POST', `/v1/journeys/${j.id}/publish`, {});
    return { validate, publish };
  }

  it('compiles prototype fields and bad values to diagnostics and refuses to publish', async () => {
    const { validate, publish } = await check(
      graphWith(
        { field: 'trigger.properties.__proto__', op: 'exists' },
        { kind: 'conditions', rule: { all: [{ field: 'customer.constructor', op: 'exists' }] } },
      ),
    );
    expect(validate.ok).toBe(false);
    const found = (validate.diagnostics as Diag[]).map((d) => `${d.code}@${d.nodeId}.${d.field}`);
    expect(found).toContain('rule.unknown_field@t.start.filter');
    expect(found).toContain('rule.unknown_field@b.cases.0.when');
    expect(publish.statusCode).toBe(422);
    expect(publish.json().code).toBe('journey_invalid');
    const values = await check(
      graphWith(null, { kind: 'conditions', rule: { field: 'order.placedAt', op: 'in', value: [1, 'a'] } }),
    );
    expect((values.validate.diagnostics as Diag[]).map((d) => d.code)).toContain('rule.invalid_value');
    expect(values.publish.statusCode).toBe(422);
  });

  it('refuses a branch or entry rule on a segment over the budget', async () => {
    const ids: string[] = [];
    let rule: Rule = {
      any: Array.from({ length: 100 }, (_, i) => ({ field: 'customer.stats.aov', op: 'gt', value: i })),
    };
    for (let level = 0; level < 7; level++) {
      const row = await createSegment(h.t.db, workspaceId, { name: `journey level ${level}`, rule });
      ids.push(row.id);
      rule = { any: Array.from({ length: 100 }, () => ({ segment: row.id })) };
    }
    const { validate, publish } = await check(graphWith(null, { kind: 'segment', segmentId: ids.at(-1) }));
    const found = (validate.diagnostics as Diag[]).map((d) => `${d.code}@${d.nodeId}.${d.field}`);
    expect(found).toContain('segment.too_complex@b.cases.0.when');
    expect(publish.statusCode).toBe(422);
    expect(JSON.stringify(publish.json().diagnostics)).toContain('segment.too_complex');
    // The base segment alone is fine.
    const fine = await check(graphWith(null, { kind: 'segment', segmentId: ids[0] }));
    expect(fine.validate.ok, JSON.stringify(fine.validate.diagnostics)).toBe(true);
    expect(fine.publish.statusCode, fine.publish.body).toBe(201);
  });
});
