import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

// The segment editor's "Performed event" condition against the demo data (orders spread over 400 days).

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('segments_performed', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

/** Customers with at least `n` order.placed events (within `days`, or ever), counted straight in SQL. */
async function repeatBuyers(n: number, days: number | null): Promise<number> {
  const window = days === null ? '' : `and e.occurred_at >= now() - interval '${days} days'`;
  const { rows } = await e2e.db.pool.query(
    `select count(*)::int as n from customers c where (select count(*) from events e
       where e.customer_id = c.id and e.type = 'order.placed' ${window}) >= $1`,
    [n],
  );
  return rows[0].n as number;
}

describe('segment editor: performed event', () => {
  it('builds "placed an order at least 2 times in the last 100 days", previews it, and saves it', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Repeat buyers');

    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 1 type').selectOption({ label: 'Performed event' });
    const eventType = page.getByLabel('Condition 1 event type');
    const atLeast = page.getByLabel('Condition 1 at least (times)');
    const days = page.getByLabel('Condition 1 within (days)');
    expect(await eventType.inputValue()).toBe('order.placed');
    await atLeast.fill('2');
    await days.fill('100');

    const recent = await repeatBuyers(2, 100);
    const ever = await repeatBuyers(2, null);
    expect(recent).toBeGreaterThan(0);
    expect(ever).toBeGreaterThan(recent);
    const count = page.getByTestId('segment-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(recent));
    const sample = page.getByRole('list', { name: 'Sample customers' }).getByRole('listitem');
    await expect.poll(() => sample.count()).toBe(recent);

    // Validation as you type: an empty count and an out-of-range window are flagged in place.
    await atLeast.fill('');
    await page.getByText('Enter how many times (at least 1)').waitFor();
    expect(await atLeast.getAttribute('aria-invalid')).toBe('true');
    await atLeast.fill('2');
    await days.fill('4000');
    await page.getByText('Enter a number of days from 1 to 3650').waitFor();
    await eventType.fill('not an event');
    await page.getByText('Use a dotted event name like order.placed').waitFor();
    await eventType.fill('order.placed');
    await days.fill('100');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(recent));

    // "Ever" drops the window and the count grows to every repeat buyer.
    await page.getByLabel('Condition 1 window').selectOption({ label: 'ever' });
    expect(await days.count()).toBe(0);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(ever));
    await page.getByLabel('Condition 1 window').selectOption({ label: 'in the last' });
    await days.fill('100');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(recent));
    await shot(page, '35-segment-performed');

    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Segments', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /Repeat buyers/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('performed order.placed at least 2 times in the last 100 days');
    const { rows } = await e2e.db.pool.query("select rule from segments where name = 'Repeat buyers'");
    expect(rows[0].rule).toEqual({
      all: [{ performed: { eventType: 'order.placed', atLeast: 2, withinDays: 100 } }],
    });
    await page.close();
  });

  it('offers "Performed event" in a branch case and stores it in the draft', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Add step: Branch' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node[data-id^="branch"]').waitFor();
    await page.getByRole('button', { name: 'Performed event' }).click();
    // The default case has two conditions; the new one is the third.
    // Same condition row as the segment editor's (one rule editor for both).
    expect(await page.getByLabel('Condition 3 event type').inputValue()).toBe('order.placed');
    await page.getByLabel('Condition 3 at least (times)').fill('3');
    await page.getByLabel('Condition 3 window').selectOption({ label: 'ever' });
    const journeyId = new URL(page.url()).pathname.split('/').pop();
    const stored = async () => {
      const { rows } = await e2e.db.pool.query('select draft_graph from journeys where id = $1', [journeyId]);
      const branch = rows[0]?.draft_graph.nodes.find((n: { type: string }) => n.type === 'branch');
      return branch?.data.config.cases[0].when.rule.all[2] ?? null;
    };
    await expect
      .poll(stored, { timeout: 10_000 })
      .toEqual({ performed: { eventType: 'order.placed', atLeast: 3, withinDays: null } });
    await page.close();
  });
});
