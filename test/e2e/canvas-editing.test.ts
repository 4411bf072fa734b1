import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('canvas', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

describe('canvas editing', () => {
  it('adds by keyboard, duplicates, copies, pastes, deletes, undoes, redoes and tidies up', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    const count = () => page.locator('.react-flow__node').count();
    expect(await count()).toBe(1);

    // Keyboard only: focus a palette item and press Enter.
    await page.locator('.palette-item[data-kind="branch"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(count).toBe(2);
    // A branch has one labelled output per case plus "Everyone else".
    const branch = page.locator('.react-flow__node[data-id^="branch"]');
    await expect
      .poll(() => branch.locator('.jn-port-label').allTextContents())
      .toEqual(['First order over $100', 'Everyone else']);
    expect(await branch.textContent()).toContain('Branch · 1 case');
    // Adding a case in the inspector adds a port.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => branch.locator('.jn-out').count()).toBe(3);
    expect(await branch.textContent()).toContain('Branch · 2 cases');

    await branch.click();
    await page.keyboard.press('Control+d');
    await expect.poll(count).toBe(3);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(count).toBe(4);

    // Duplicates and pastes land slightly offset and may overlap: lay out first so each is clickable.
    await page.getByRole('button', { name: 'Tidy up layout' }).click();
    // Multi-select with shift-click, then delete both.
    const branches = page.locator('.react-flow__node[data-id^="branch"]');
    await branches.nth(0).click();
    await branches.nth(1).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(2);
    await page.keyboard.press('Delete');
    await expect.poll(count).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(count).toBe(4);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(count).toBe(2);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(count).toBe(4);

    await page.getByRole('button', { name: 'Tidy up layout' }).click();
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await shot(page, '20-canvas-editing');
    await page.close();
  });

  it('publishes, pauses, resumes, and rolls back to an earlier version with a diff', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Thank-you note' }).click();
    const publish = async (note: string, v: number) => {
      await expect
        .poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isEnabled())
        .toBe(true);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('What changed?').fill(note);
      await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
      await page.getByText(`Live · v${v}`).waitFor();
    };
    await publish('Initial', 1);
    // Change the delay, publish v2.
    await page.locator('.react-flow__node[data-id="wait"]').click();
    await page.getByLabel('For', { exact: true }).fill('2');
    await publish('Wait two', 2);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused · v2').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Live · v2').waitFor();

    await page.getByRole('button', { name: 'Versions' }).click();
    await page.locator('.diff-changed').first().waitFor();
    await shot(page, '21-version-diff');
    await page.getByRole('button', { name: /^v1/ }).click();
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Live · v3').waitFor();
    await page.close();
  });
});
