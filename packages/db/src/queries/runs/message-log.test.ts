import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase, testGraph } from '../../testing';
import { createJourney } from '../journeys/journeys';
import { listMessageLog, type MessageLogFilter } from './support';

// The message log's first page must stay a short index read however many messages a workspace has
// sent: each filter combination the log offers is run against 30,000 messages, its SQL captured and
// EXPLAINed: it may touch the page's rows and their customers (a few pages each), never the table.

const MESSAGES = 30_000;
let t: TestDatabase;
let ws: string;
let journeyId: string;

beforeAll(async () => {
  t = await freshDatabase('message_log');
  ws = (await seedWorkspace(t.db, 'Log')).id;
  journeyId = (await createJourney(t.db, ws, { name: 'Thanks', draftGraph: testGraph() })).id;
  await t.pool.query(
    `insert into customers (id, workspace_id, email) select md5('c' || g)::uuid, $1, 'c' || g || '@example.com'
     from generate_series(1, 1000) g`,
    [ws],
  );
  await t.pool.query(
    `insert into messages (workspace_id, customer_id, journey_id, channel, provider, idempotency_key, to_address, status, created_at, sent_at)
     select $1, md5('c' || (1 + g % 1000))::uuid, case when g % 2 = 0 then $2::uuid end,
            (array['email','sms'])[1 + g % 2], 'outbox', 'm' || g, 'x@example.com',
            (array['delivered','opened','bounced','sent'])[1 + g % 4],
            now() - g * interval '1 minute', now() - g * interval '1 minute'
     from generate_series(1, $3::int) g`,
    [ws, journeyId, MESSAGES],
  );
  await t.pool.query('analyze customers, messages');
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

/** The SQL and parameters listMessageLog sends, caught at the pool. */
async function captured(filter: MessageLogFilter): Promise<{ text: string; values: unknown[] }> {
  const original = t.pool.query.bind(t.pool);
  let seen: { text: string; values: unknown[] } | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: pg's query is heavily overloaded; only the config form is read
  (t.pool as any).query = (config: any, values?: unknown[]) => {
    if (typeof config === 'object' && /from "messages"/.test(config.text))
      seen = { text: config.text, values: values ?? [] };
    return original(config, values);
  };
  try {
    await listMessageLog(t.db, ws, filter);
  } finally {
    // biome-ignore lint/suspicious/noExplicitAny: restoring the method replaced above
    (t.pool as any).query = original;
  }
  if (!seen) throw new Error('no message log query seen');
  return seen;
}

describe('message log first page', () => {
  it('reads a few pages with or without filters', async () => {
    const { rows: size } = await t.pool.query<{ pages: number }>(
      "select relpages as pages from pg_class where relname = 'messages'",
    );
    const filters: MessageLogFilter[] = [
      {},
      { channel: 'email', status: 'bounced' },
      { journeyId, status: 'delivered' },
      { status: 'opened', from: new Date(Date.now() - 90 * 86_400_000) },
      { channel: 'email', journeyId, status: 'bounced' },
    ];
    for (const filter of filters) {
      const { text, values } = await captured(filter);
      const { rows } = await t.pool.query(`explain (analyze, buffers, format json) ${text}`, values);
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      const pages = Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);
      expect(pages, JSON.stringify(filter)).toBeLessThan(Math.min(300, size[0]!.pages / 2));
    }
    expect(await listMessageLog(t.db, ws, { channel: 'email', status: 'bounced' })).toHaveLength(50);
  });
});
