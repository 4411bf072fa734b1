import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

// Journey names are unique per workspace. Renaming a draft to a taken name must not cost the canvas
// edits made meanwhile: the graph is saved, and the name field says why the name was not.

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('journey_rename', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

describe('renaming a journey', () => {
  it('to a taken name keeps saving the canvas and says the name is taken', async () => {
    const page = await signedInPage(e2e);
    const { rows } = await e2e.db.pool.query("select name from journeys where status <> 'archived' limit 1");
    const taken = rows[0].name as string;
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    const id = /\/journeys\/([^/]+)$/.exec(page.url())?.[1];
    expect(id).toBeTruthy();

    await page.getByLabel('Journey name').fill(taken);
    await page.locator('.palette-item[data-kind="delay"]').focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: /already|taken/i })
      .waitFor();
    await expect
      .poll(() => page.getByTestId('save-state').textContent())
      .not.toMatch(/unsaved|saving|error/i);
    await shot(page, 'journey-rename-taken');

    const saved = await e2e.db.pool.query('select name, draft_graph from journeys where id = $1', [id]);
    expect(saved.rows[0].name).not.toBe(taken);
    const kinds = (saved.rows[0].draft_graph.nodes as Array<{ type: string }>).map((n) => n.type);
    expect(kinds).toContain('delay');
  });
});
