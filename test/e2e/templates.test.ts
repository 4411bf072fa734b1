import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('templates', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

describe('template gallery', () => {
  it('creates each template and publishes it on the demo data', async () => {
    const page = await signedInPage(e2e);
    // The gallery offers every built-in template, each once.
    await page
      .getByRole('button', { name: /^Use template: / })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Use template: / }).count()).toBe(templates.length);
    for (const [i, t] of templates.entries()) {
      await page.getByRole('button', { name: `Use template: ${t.name}` }).click();
      await page.getByLabel('Journey name').waitFor();
      // The demo workspace has every template as a draft already: names stay unique per workspace.
      expect(await page.getByLabel('Journey name').inputValue()).toBe(`${t.name} (2)`);
      expect(await page.locator('.react-flow__node').count()).toBe(t.graph.nodes.length);
      await page.getByRole('button', { name: 'Publish', exact: true }).waitFor();
      await expect
        .poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isEnabled())
        .toBe(true);
      if (i === 0) await shot(page, `10-template-${t.id}`);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('What changed?').fill(`Template ${t.id}`);
      await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
      await page.getByText('Live · v1').waitFor();
      await page.getByRole('button', { name: 'Back to journeys' }).click();
      await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();
    }
    const live = await page.locator('.pill.status-live').count();
    expect(live).toBeGreaterThanOrEqual(8);
    await shot(page, '11-all-templates-live');
    await page.close();
  });

  it('opens a seeded template draft, laid out top to bottom', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: templates[2]!.name }).first().click();
    await page.locator('.react-flow__node').first().waitFor();
    const ys = await page
      .locator('.react-flow__node')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().y));
    expect(new Set(ys.map((y) => Math.round(y / 10))).size).toBeGreaterThan(2);
    await shot(page, '12-seeded-template');
    await page.close();
  });
});
