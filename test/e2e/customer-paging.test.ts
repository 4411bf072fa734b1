import { createJourney, publishVersion } from '@hourglass/db';
import { testGraph, testPlan } from '@hourglass/db/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

// A heavy customer's profile as a support agent reads it: the newest 50 orders, events and runs, and
// "Show older …" under each list that brings the next page, until there is none.

let e2e: E2E;
let page: Page;
let customerId = '';
const COUNTS = { orders: 120, events: 70, runs: 55 };

beforeAll(async () => {
  e2e = await startE2E('customer_paging', { temporal: false });
  const q = async (text: string, params: unknown[] = []) => (await e2e.db.pool.query(text, params)).rows;
  const [ws] = await q(`select w.id from workspaces w order by w.created_at limit 1`);
  const [c] = await q(
    `insert into customers (workspace_id, external_id, email, first_name, last_name)
     values ($1, 'heavy-shopper', 'heavy@example.com', 'Hana', 'Heavy') returning id`,
    [ws.id],
  );
  customerId = c.id;
  const at = `now() - g * interval '1 day'`;
  await q(
    `insert into orders (workspace_id, customer_id, external_id, total, currency, items, status, placed_at)
     select $1, $2, 'H-' || lpad(g::text, 4, '0'), 20, 'USD', '[]', 'delivered', ${at}
     from generate_series(1, $3::int) g`,
    [ws.id, customerId, COUNTS.orders],
  );
  await q(
    `insert into events (workspace_id, id, type, customer_id, occurred_at)
     select $1, 'heavy-e' || g, 'viewed.' || g, $2, ${at} from generate_series(1, $3::int) g`,
    [ws.id, customerId, COUNTS.events],
  );
  const journey = await createJourney(e2e.db.db, ws.id, { name: 'Heavy journey', draftGraph: testGraph() });
  await publishVersion(e2e.db.db, ws.id, journey.id, {
    graph: testGraph(),
    plan: testPlan(),
    planHash: '0'.repeat(64),
  });
  await q(
    `insert into journey_runs (workspace_id, workflow_id, journey_id, version, customer_id, status, started_at, updated_at, ended_at, end_reason)
     select $1, 'heavy-run-' || g, $2, 1, $3, 'completed', ${at}, ${at}, ${at}, 'completed'
     from generate_series(1, $4::int) g`,
    [ws.id, journey.id, customerId, COUNTS.runs],
  );
  page = await signedInPage(e2e);
}, 120_000);

afterAll(async () => {
  await page?.close();
  await e2e?.close();
});

describe("a heavy customer's profile", () => {
  it('shows the newest 50 of each list and "Show older" brings the rest, page by page', async () => {
    await page.goto(`${e2e.baseUrl}/customers/${customerId}`);
    const orders = page.getByRole('region', { name: 'Orders' });
    const orderRows = orders.locator('tbody tr');
    await orderRows.first().waitFor();
    expect(await orderRows.count()).toBe(50);
    const showOrders = orders.getByRole('button', { name: 'Show older orders' });
    for (const expected of [100, 120]) {
      await showOrders.click();
      await expect.poll(() => orderRows.count()).toBe(expected);
    }
    await expect.poll(() => showOrders.count()).toBe(0);
    // Newest first, each order once: H-0001 (yesterday) … H-0120.
    const ids = await orders.locator('tbody tr td:first-child').allTextContents();
    expect(ids).toEqual(
      Array.from({ length: COUNTS.orders }, (_, i) => `H-${String(i + 1).padStart(4, '0')}`),
    );

    const events = page.getByRole('region', { name: /Recent events/ });
    const eventItems = events.locator('li');
    expect(await eventItems.count()).toBe(50);
    await events.getByRole('button', { name: 'Show older events' }).click();
    await expect.poll(() => eventItems.count()).toBe(COUNTS.events);
    expect(await events.getByRole('button', { name: 'Show older events' }).count()).toBe(0);
    expect(await eventItems.last().textContent()).toContain(`viewed.${COUNTS.events}`);

    const runs = page.getByRole('region', { name: 'Journeys', exact: true });
    const runRows = runs.locator('tbody tr');
    expect(await runRows.count()).toBe(50);
    await runs.getByRole('button', { name: 'Show older runs' }).click();
    await expect.poll(() => runRows.count()).toBe(COUNTS.runs);
    expect(await runs.getByRole('button', { name: 'Show older runs' }).count()).toBe(0);
    await shot(page, '52-support-profile-show-older');
  }, 90_000);
});
