import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('io_segments', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

const nodeIds = (page: Page) =>
  page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());

/** Customers of the demo data matching a SQL predicate: what the segment preview must count. */
async function countWhere(predicate: string): Promise<number> {
  const { rows } = await e2e.db.pool.query(`select count(*)::int as n from customers where ${predicate}`);
  return rows[0].n as number;
}

describe('journey files', () => {
  it('exports a journey as JSON and imports it back as a draft with the same graph', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Thank-you note' }).first().click();
    await page.locator('.react-flow__node').first().waitFor();
    const originalUrl = page.url();
    const original = await nodeIds(page);
    expect(original.length).toBeGreaterThan(2);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Thank-you note' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('thank-you-note.journey.json');
    const saved = path.join(artifacts, 'exported.journey.json');
    await download.saveAs(saved);
    const file = JSON.parse(fs.readFileSync(saved, 'utf8'));
    expect(file).toMatchObject({ format: 'hourglass.journey', formatVersion: 1, name: 'Thank-you note' });
    expect(file.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(original);

    await page.getByRole('button', { name: 'Back to journeys' }).click();
    // A file that is not a journey is refused with the field at fault, and nothing is created.
    const before = await page.getByRole('row').count();
    await page.getByLabel('Journey file to import').setInputFiles({
      name: 'not-a-journey.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"something-else"}'),
    });
    const alert = page.getByRole('alert').filter({ hasText: 'Could not import' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Hourglass journey file.*\(at format\)/);
    await page.getByLabel('Journey file to import').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ not json'),
    });
    await page.getByText('broken.json is not a JSON file').waitFor();
    expect(await page.getByRole('row').count()).toBe(before);
    await shot(page, '30-import-error');

    await page.getByLabel('Journey file to import').setInputFiles(saved);
    await page.waitForURL((u) => u.pathname.startsWith('/journeys/') && u.href !== originalUrl);
    await page.locator('.react-flow__node').first().waitFor();
    // A copy in the workspace it came from takes the next free name.
    expect(await page.getByLabel('Journey name').inputValue()).toBe('Thank-you note (2)');
    expect(await nodeIds(page)).toEqual(original);
    expect(await page.locator('.react-flow__edge').count()).toBe(file.graph.edges.length);
    // Diagnostics run on the imported draft like on any other.
    await expect
      .poll(() => page.getByTestId('problems-button').textContent())
      .toMatch(/No problems|warning|problem/);
    await shot(page, '31-imported-journey');

    await page.getByRole('button', { name: 'Back to journeys' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Thank-you note/ }).count()).toBe(2);
    await page.close();
  });
});

describe('segment editor', () => {
  it('builds a two-condition segment, previews the matching customers, saves it and picks it in a branch', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByLabel('Name', { exact: true }).waitFor();

    // Saving without a name is refused in place.
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Give the segment a name').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Loyal big spenders');
    await page.getByLabel('Description').fill('Two orders or more, AOV over $300');

    // Condition 1: number of orders at least 2.
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 1 field').selectOption({ label: 'Number of orders' });
    await page.getByLabel('Condition 1 operator').selectOption({ label: 'is at least' });
    await page.getByLabel('Condition 1 value').fill('2');
    const repeat = await countWhere('orders_count >= 2');
    const count = page.getByTestId('segment-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(repeat));

    // Condition 2: average order value over 300 — the count narrows to what the data says.
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 2 field').selectOption({ label: 'Average order value' });
    await page.getByLabel('Condition 2 operator').selectOption({ label: 'is more than' });
    await page.getByLabel('Condition 2 value').fill('');
    await page.getByText('Enter a value', { exact: true }).waitFor();
    await page.getByText('Fix the conditions marked in red').waitFor();
    expect(await page.getByLabel('Condition 2 value').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Condition 2 value').fill('300');
    const loyal = await countWhere('orders_count >= 2 and aov > 300');
    expect(loyal).toBeGreaterThan(0);
    expect(loyal).toBeLessThan(repeat);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(String(loyal));
    const sample = page.getByRole('list', { name: 'Sample customers' }).getByRole('listitem');
    await expect.poll(() => sample.count()).toBe(loyal);
    await shot(page, '32-segment-editor');

    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: 'Segments', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /Loyal big spenders/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Number of orders is at least 2 and Average order value');
    await shot(page, '33-segments-list');

    // The new segment is offered in a branch step's inspector right away.
    await page.getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Add step: Branch' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node[data-id^="branch"]').waitFor();
    await page.getByLabel('Match by').selectOption('segment');
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Loyal big spenders' });
    const picked = await page.getByLabel('Segment', { exact: true }).inputValue();
    const { rows } = await e2e.db.pool.query("select id from segments where name = 'Loyal big spenders'");
    expect(picked).toBe(rows[0].id);
    await shot(page, '34-branch-segment');
    await page.close();
  });
});
