import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('a11y', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

/**
 * Every control inside `selector` that has no accessible name, or that the keyboard cannot reach
 * (negative tabindex on a visible control). Names come from aria-label, aria-labelledby, <label>,
 * a button's text, or title — the sources a screen reader uses.
 */
async function unlabelled(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((roots) => {
    const out: string[] = [];
    for (const root of roots) {
      const controls = root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], iframe');
      for (const el of Array.from(controls)) {
        const style = getComputedStyle(el);
        const hidden = el.closest('.sr-only') || el.classList.contains('sr-only');
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const byRef = (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .map((id: string) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
        const labels = (el as HTMLInputElement).labels;
        const byLabel = labels ? Array.from(labels, (l) => l.textContent).join(' ') : '';
        const text = el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '';
        const name = [el.getAttribute('aria-label'), byRef, byLabel, text, el.getAttribute('title')]
          .join(' ')
          .trim();
        const what = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${el.outerHTML.slice(0, 90)}]`;
        if (!name) out.push(`no name: ${what}`);
        if (!hidden && el.tabIndex < 0 && !(el as HTMLButtonElement).disabled)
          out.push(`not tabbable: ${what}`);
      }
    }
    return out;
  });
}

describe('keyboard and labels', () => {
  it('labels every control of the toolbar, palette and inspector, and opens a step from the keyboard', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Thank-you note' }).first().click();
    await page.locator('.react-flow__node').first().waitFor();

    // Tab from the journey name reaches the toolbar's buttons (Undo / Redo are disabled: nothing to undo yet).
    await page.getByLabel('Journey name').focus();
    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''));
    }
    expect(reached).toEqual(
      expect.arrayContaining(['Tidy up layout', 'Zoom to fit', 'Export Thank-you note']),
    );

    // A step on the canvas is focusable and named; Enter selects it and opens its inspector.
    const email = page.locator('.react-flow__node-send_email').first();
    expect(await email.getAttribute('aria-label')).toMatch(/ step: /);
    await email.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Preview' }).waitFor();

    expect(await unlabelled(page, '.editor-bar')).toEqual([]);
    expect(await unlabelled(page, '.palette')).toEqual([]);
    expect(await unlabelled(page, '.inspector')).toEqual([]);
    await shot(page, '50-keyboard-inspector');

    // A branch step's inspector (cases, rule rows, segment picker) too.
    await page.getByRole('button', { name: 'Add step: Branch' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Match by').waitFor();
    expect(await unlabelled(page, '.inspector')).toEqual([]);
    await page.getByLabel('Match by').selectOption('segment');
    expect(await unlabelled(page, '.inspector')).toEqual([]);
    await page.close();
  });

  it('labels every control of the segment editor, nested groups included', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByRole('button', { name: 'Add group', exact: true }).click();
    await page.getByRole('button', { name: 'Add condition to group 2' }).click();
    await page.getByLabel('Condition 2.2 type').selectOption({ label: 'Attribute' });
    await page.getByLabel('Condition 2.2 attribute name').fill('points');
    await page.getByLabel('Condition 2.2 value').fill('100');
    await page.getByLabel('Condition 2.1 type').selectOption({ label: 'Tag' });
    await page.getByLabel('Condition 2.1 value').fill('vip');
    await page.getByLabel('Group 2: match').selectOption({ label: 'none of' });
    // Keyboard only: Tab from the name field walks into the rule builder.
    await page.getByLabel('Name', { exact: true }).focus();
    const reached: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''));
    }
    expect(reached).toEqual(expect.arrayContaining(['Customers: match', 'Condition 1 type']));
    expect(await unlabelled(page, '.segment-editor')).toEqual([]);
    // The nested "none of" group is compiled by the server like the rest.
    const { rows } = await e2e.db.pool.query(
      "select count(*)::int as n from customers where orders_count > 0 and not ('vip' = any(tags) or coalesce(attributes->>'points', '') = '100')",
    );
    await expect
      .poll(() => page.getByTestId('segment-count').textContent(), { timeout: 10_000 })
      .toBe(String(rows[0].n));
    await shot(page, '51-segment-nested');

    // Saved, reopened with its nested group intact, then deleted.
    await page.getByLabel('Name', { exact: true }).fill('Short-lived');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('link', { name: 'Short-lived' }).click();
    expect(await page.getByLabel('Group 2: match').inputValue()).toBe('none');
    expect(await page.getByLabel('Condition 2.2 attribute name').inputValue()).toBe('points');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Segments', exact: true }).waitFor();
    await page.getByText('No segments yet').waitFor();
    const left = await e2e.db.pool.query(
      "select count(*)::int as n from segments where name = 'Short-lived'",
    );
    expect(left.rows[0].n).toBe(0);
    await page.close();
  });
});
