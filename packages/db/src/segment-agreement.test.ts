import {
  CONSENT_STATES,
  type Condition,
  evaluateRule,
  FIELD_CATALOG,
  type FieldSpec,
  getField,
  type Json,
  type Rule,
  type RuleOp,
  ruleIssues,
  rulePerformed,
} from '@hourglass/journey';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEventOnce } from './queries/customers/events';
import { upsertOrder } from './queries/customers/orders';
import { ruleToSql } from './queries/segments/segment-sql';
import { performedCounts } from './queries/segments/segments';
import { customers } from './schema';
import { customerSubject } from './subjects';
import { freshDatabase, seedWorkspace, type TestDatabase } from './testing';

// The proof that a segment (SQL over the customers table) and a branch (evaluateRule over the subject
// model of ./subjects.ts) give the same answer: random customers, with orders and events, against random
// rules over every customer field of the catalog, every operator it allows, free-form attribute and
// consent paths and `performed` conditions. Values come from small pools with the awkward cases (numeric
// text, ISO dates in several forms, non-ASCII case, microseconds) so that ties and near-ties happen.

const DAY = 86_400_000;
const TEXTS = ['', 'a', 'A', 'Ada', 'ada lovelace', 'Élodie', 'élo', 'İstanbul', '10', '10.0', ' 5 ', '-3']
  .concat(['1e3', '.5', 'true', 'null', 'Europe/Paris', 'UTC', 'fr-FR', 'x@y.co', 'X@Y.CO'])
  .concat([
    '2024-05-01',
    '2024-05-01T00:00:00Z',
    '2024-05-01T10:00:00+02:00',
    '2024-05-01 10:00',
    '2024-02-30',
  ]);
const NUMBERS = [0, 1, 2, 2.5, 5, 10, -3, 0.1, 19.99, 33.33, 100.25, 1e21];
const DATES = ['2024-05-01', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00.000Z', '2024-05-01T10:00:00+02:00']
  .concat(['2024-04-30T23:59:59.999Z', '2023-01-01', '2024-05-01T08:00:00.0005Z', '2024-05-01T08:00:00+0200'])
  .concat(['1990-02-28', '2000-02-29']);
const INSTANTS = DATES.map((d) => Date.parse(d));
const TAGS = ['vip', 'VIP', 'new', '10', '10.0', 'a b', 'Élodie'];
const ATTRIBUTE_KEYS = ['tier', 'score', 'since', 'list', 'obj', 'flag', 'n'];
const CUSTOMER_FIELDS = FIELD_CATALOG.filter((s) => s.root === 'customer');

const text = fc.constantFrom(...TEXTS);
const number = fc.constantFrom(...NUMBERS);
const date = fc.constantFrom(...DATES);
const scalar = fc.oneof(text, number, date, fc.boolean(), fc.constant(null));
const json: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b'), tie('v'), { maxKeys: 2, noNullPrototype: true }),
  ),
})).v;
const instant = fc
  .tuple(fc.constantFrom(...INSTANTS), fc.integer({ min: -2, max: 2 }))
  .map(([t, d]) => t + d * DAY);

const order = fc.record({
  total: fc.constantFrom(0, 10, 19.99, 33.33, 100.25),
  status: fc.constantFrom('placed', 'fulfilled', 'cancelled', 'refunded'),
  placedAt: instant,
});
const event = fc.record({
  type: fc.constantFrom('order.placed', 'review.submitted'),
  // Whole days plus an hour or more: never on a window's edge while the test runs.
  ageHours: fc.integer({ min: 0, max: 400 }).map((d) => d * 24 + 1),
});
const customer = fc.record({
  externalId: fc.option(text, { nil: null }),
  email: fc.option(text, { nil: null }),
  phone: fc.option(text, { nil: null }),
  firstName: fc.option(text, { nil: null }),
  lastName: fc.option(text, { nil: null }),
  timezone: fc.option(text, { nil: null }),
  locale: fc.option(text, { nil: null }),
  birthday: fc.option(fc.constantFrom('1990-02-28', '2000-02-29', '2024-05-01', '2024-04-30'), { nil: null }),
  tags: fc.array(fc.constantFrom(...TAGS), { maxLength: 3 }),
  attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTE_KEYS), json, { maxKeys: 4, noNullPrototype: true }),
  consent: fc.record(
    { email: fc.constantFrom(...CONSENT_STATES), sms: fc.constantFrom(...CONSENT_STATES) },
    { noNullPrototype: true },
  ),
  createdAt: instant,
  createdMicros: fc.integer({ min: 0, max: 999 }),
  orders: fc.array(order, { maxLength: 3 }),
  events: fc.array(event, { maxLength: 3 }),
});
type GenCustomer = typeof customer extends fc.Arbitrary<infer T> ? T : never;
// External ids are unique per workspace; absent ones never clash.
const customerList = fc.uniqueArray(customer, {
  minLength: 1,
  maxLength: 4,
  selector: (c) => c.externalId,
  comparator: (a, b) => a !== null && a === b,
});

/** A value that fits `op` on a field of `kind` (what the rule checks accept). */
function valueFor(spec: FieldSpec, op: RuleOp): fc.Arbitrary<Json | undefined> {
  if (op === 'exists' || op === 'is_true' || op === 'is_false') return fc.constant(undefined);
  const one: fc.Arbitrary<Json> = {
    text,
    number,
    date,
    tags: fc.constantFrom(...TAGS),
    any: spec.values ? fc.oneof(fc.constantFrom(...spec.values), json) : json,
  }[spec.kind];
  if (op === 'in') return fc.array(one, { maxLength: 3 });
  if (op === 'eq' || op === 'neq') {
    const whole = spec.kind === 'tags' ? fc.array(fc.constantFrom(...TAGS), { maxLength: 2 }) : one;
    return fc.oneof(whole, fc.constant(null));
  }
  if ((spec.kind === 'text' || spec.kind === 'any') && ['gt', 'gte', 'lt', 'lte'].includes(op))
    return fc.oneof(text, number, date);
  return one;
}

function pathFor(spec: FieldSpec): fc.Arbitrary<string> {
  if (!spec.freeForm) return fc.constant(spec.path);
  const keys = spec.path === 'customer.consent' ? ['email', 'sms', 'push'] : ATTRIBUTE_KEYS;
  return fc
    .tuple(fc.constantFrom(...keys), fc.constantFrom('', '.a', '[0]', '[1].b'))
    .map(([k, rest]) => `${spec.path}.${k}${rest}`);
}

const conditionWith = (spec: FieldSpec, op: RuleOp): fc.Arbitrary<Condition> =>
  fc.record({ field: pathFor(spec), op: fc.constant(op), value: valueFor(spec, op) }).map((c) => {
    const { value, ...rest } = c;
    return value === undefined ? rest : c;
  });
const conditionOn = (spec: FieldSpec) => fc.constantFrom(...spec.ops).chain((op) => conditionWith(spec, op));

const performed = fc.record({
  eventType: fc.constantFrom('order.placed', 'review.submitted', 'never.seen'),
  atLeast: fc.integer({ min: 1, max: 3 }),
  withinDays: fc.constantFrom(null, 1, 30, 365),
});
const leaf: fc.Arbitrary<Rule> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CUSTOMER_FIELDS).chain(conditionOn) },
  { weight: 1, arbitrary: performed.map((p) => ({ performed: p })) },
);
const rule: fc.Arbitrary<Rule> = fc.letrec<{ r: Rule }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    leaf,
    fc.array(tie('r'), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('r'), { maxLength: 3 }).map((any) => ({ any })),
    tie('r').map((not) => ({ not })),
  ),
})).r;
// Only rules the API would store: segments and branches both refuse the others before evaluating.
const validRule = rule.filter((r) => ruleIssues(r, ['customer']).length === 0);

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('segment_agreement');
});
afterAll(async () => {
  await t?.drop();
});

/** Stores the customers of one case in a new workspace; their ids in order. */
async function store(list: readonly GenCustomer[]): Promise<{ ws: string; ids: string[] }> {
  const ws = (await seedWorkspace(t.db, 'Agreement')).id;
  const now = Date.now();
  const ids: string[] = [];
  for (const [i, c] of list.entries()) {
    const { orders, events, createdAt, createdMicros, ...row } = c;
    const [created] = await t.db
      .insert(customers)
      .values({ ...row, workspaceId: ws, createdAt: new Date(createdAt) })
      .returning({ id: customers.id });
    const id = created!.id;
    // Microseconds the JavaScript side never sees: comparisons must not depend on them.
    await t.db
      .update(customers)
      .set({ createdAt: sql`${customers.createdAt} + make_interval(secs => ${createdMicros / 1e6})` })
      .where(eq(customers.id, id));
    for (const [j, o] of orders.entries())
      await upsertOrder(t.db, ws, {
        ...o,
        externalId: `o${i}-${j}`,
        customerId: id,
        placedAt: new Date(o.placedAt),
      });
    for (const [j, e] of events.entries())
      await insertEventOnce(t.db, ws, {
        id: `e${i}-${j}`,
        type: e.type,
        customerId: id,
        occurredAt: new Date(now - e.ageHours * 3_600_000),
      });
    ids.push(id);
  }
  return { ws, ids };
}

/**
 * Every customer on which the engines disagree about `r`, as a line naming what each saw: the value
 * in memory, then the answers of memory, SQL for one customer and SQL over the workspace.
 */
async function disagreements(ws: string, ids: readonly string[], r: Rule): Promise<string[]> {
  const rows = await t.db
    .select({
      row: customers,
      one: sql<boolean>`${ruleToSql(r)}`,
      scan: sql<boolean>`${ruleToSql(r, undefined, { scan: { workspaceId: ws } })}`,
    })
    .from(customers)
    .where(eq(customers.workspaceId, ws));
  expect(rows.map((x) => x.row.id).sort()).toEqual([...ids].sort());
  const out: string[] = [];
  for (const { row, one, scan } of rows) {
    const counts = await performedCounts(t.db, ws, row.id, rulePerformed(r));
    const context = { customer: customerSubject(row) };
    const memory = evaluateRule(r, context, undefined, counts).result;
    if (one === memory && scan === memory) continue;
    const seen = 'field' in r ? ` on ${JSON.stringify(getField(context, r.field)) ?? 'missing'}` : '';
    out.push(`${JSON.stringify(r)}${seen}: memory ${memory}, sql ${one}, scan ${scan}`);
  }
  return out;
}

describe('segment SQL and in-memory evaluation agree', () => {
  it('on random customers, orders, events and rules over the catalog', async () => {
    await fc.assert(
      fc.asyncProperty(
        customerList,
        fc.array(validRule, { minLength: 1, maxLength: 6 }),
        async (list, rules) => {
          const { ws, ids } = await store(list);
          for (const r of rules) expect(await disagreements(ws, ids, r)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('on every customer field and every operator it allows', async () => {
    const list = fc.sample(customerList, { numRuns: 6, seed: 18 }).flat();
    const unique = list.filter(
      (c, i) => c.externalId === null || list.findIndex((d) => d.externalId === c.externalId) === i,
    );
    const { ws, ids } = await store(unique);
    let cases = 0;
    const found: string[] = [];
    for (const spec of CUSTOMER_FIELDS) {
      for (const op of spec.ops) {
        const conditions = fc.sample(
          conditionWith(spec, op).filter((c) => ruleIssues(c, ['customer']).length === 0),
          { numRuns: 8, seed: cases },
        );
        for (const c of conditions) {
          cases++;
          found.push(...(await disagreements(ws, ids, c)));
        }
      }
    }
    expect(found).toEqual([]);
    expect(cases).toBe(CUSTOMER_FIELDS.reduce((n, s) => n + s.ops.length * 8, 0));
  });
});
