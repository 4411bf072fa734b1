import type { DateTrigger } from '@hourglass/journey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { listDueCustomers } from './date-triggers';

// The date sweep's query over 20,000 customers in four time zones: who is due (birthdays and first-order
// anniversaries, with offsets, around midnight UTC where local dates differ) must match a computation
// in JavaScript, and the query must read the few customers whose day it can be, not the workspace.

const CUSTOMERS = 20_000;
const ZONES = ['Pacific/Kiritimati', 'Asia/Tokyo', 'Europe/Paris', 'America/New_York', 'Pacific/Pago_Pago'];
let t: TestDatabase;
let ws: string;
type Row = { id: string; timezone: string; birthday: string; first_order_at: Date };
let rows: Row[];

beforeAll(async () => {
  t = await freshDatabase('date_triggers');
  ws = (await seedWorkspace(t.db, 'Dates')).id;
  await t.pool.query(
    `insert into customers (workspace_id, timezone, birthday, first_order_at)
     select $1, ($3::text[])[1 + g % 5], date '1980-01-01' + (g * 7 % 10000),
            timestamptz '2022-01-01 00:00Z' + (g * 37 % 1096) * interval '1 day' + (g % 24) * interval '1 hour'
     from generate_series(1, $2::int) g`,
    [ws, CUSTOMERS, ZONES],
  );
  await t.pool.query('analyze customers');
  rows = (await t.pool.query<Row>('select id, timezone, birthday::text, first_order_at from customers')).rows;
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

const formats = new Map<string, Intl.DateTimeFormat>();
/** Local date (YYYY-MM-DD) and minutes past midnight of an instant in a time zone. */
function local(at: Date, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

function expected(trigger: DateTrigger, now: Date): string[] {
  return rows
    .filter((r) => {
      const here = local(now, r.timezone);
      if (here.minutes < trigger.hour * 60 + trigger.minute) return false;
      const target = minusDays(here.date, trigger.offsetDays);
      const source = trigger.source === 'birthday' ? r.birthday : local(r.first_order_at, r.timezone).date;
      if (source.slice(5) !== target.slice(5)) return false;
      return trigger.source === 'birthday' || source.slice(0, 4) < target.slice(0, 4);
    })
    .map((r) => r.id)
    .sort();
}

async function due(trigger: DateTrigger, now: Date): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listDueCustomers(t.db, ws, trigger, { now, after, limit: 50 });
    ids.push(...page.map((p) => p.customerId));
    if (page.length < 50) return ids.sort();
    after = page[page.length - 1]!.customerId;
  }
}

const triggers: DateTrigger[] = [
  { kind: 'date', source: 'birthday', offsetDays: 0, hour: 9, minute: 0 },
  { kind: 'date', source: 'birthday', offsetDays: -7, hour: 0, minute: 0 },
  { kind: 'date', source: 'first_order_anniversary', offsetDays: 0, hour: 0, minute: 0 },
  { kind: 'date', source: 'first_order_anniversary', offsetDays: 3, hour: 10, minute: 30 },
];
const instants = ['2026-03-01T00:15:00Z', '2026-06-15T11:45:00Z', '2026-12-31T23:30:00Z'].map(
  (s) => new Date(s),
);

describe('customers due for a date trigger', () => {
  it('are exactly those whose local day and time it is', async () => {
    for (const trigger of triggers)
      for (const now of instants) {
        const want = expected(trigger, now);
        expect(await due(trigger, now), `${JSON.stringify(trigger)} at ${now.toISOString()}`).toEqual(want);
      }
    expect(expected(triggers[0]!, instants[1]!).length).toBeGreaterThan(0);
  });

  it('are found without reading the workspace', async () => {
    const { rows: size } = await t.pool.query<{ pages: number }>(
      "select relpages as pages from pg_class where relname = 'customers'",
    );
    const original = t.pool.query.bind(t.pool);
    for (const trigger of triggers) {
      let seen: { text: string; values: unknown[] } | undefined;
      // biome-ignore lint/suspicious/noExplicitAny: pg's query is overloaded; only the config form is read
      (t.pool as any).query = (config: any, values?: unknown[]) => {
        if (typeof config === 'object' && /from customers c/.test(config.text))
          seen = { text: config.text, values: values ?? [] };
        return original(config, values);
      };
      try {
        await listDueCustomers(t.db, ws, trigger, { now: instants[1]!, limit: 1000 });
      } finally {
        // biome-ignore lint/suspicious/noExplicitAny: restoring the method replaced above
        (t.pool as any).query = original;
      }
      const { rows: plan } = await t.pool.query(
        `explain (analyze, buffers, format json) ${seen!.text}`,
        seen!.values,
      );
      const root = plan[0]['QUERY PLAN'][0].Plan;
      const pages = Number(root['Shared Hit Blocks'] ?? 0) + Number(root['Shared Read Blocks'] ?? 0);
      // An index range per candidate day, then a page per candidate (birthdays: 3 days of 365;
      // anniversaries: 5, as the index holds the UTC day); the old query read every customer.
      expect(JSON.stringify(root), trigger.source).not.toContain('Seq Scan');
      expect(pages, trigger.source).toBeLessThan(size[0]!.pages * 0.75);
    }
  });
});
