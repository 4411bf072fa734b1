import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('builder', { temporal: true });
});
afterAll(async () => {
  await e2e?.close();
});

const node = (page: Page, kind: string) => page.locator(`.react-flow__node[data-id^="${kind}"]`).first();

/** Drags from one handle to another with real mouse moves (React Flow listens to pointer events). */
async function connect(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function dropFromPalette(page: Page, kind: string, x: number, y: number) {
  await page.dragAndDrop(`.palette-item[data-kind="${kind}"]`, '[data-testid="canvas"]', {
    targetPosition: { x, y },
  });
  await node(page, kind).waitFor();
}

describe('a marketer builds a journey', () => {
  it('builds from scratch, fixes a problem, publishes, and sees a run counted', async () => {
    const page = await signedInPage(e2e);
    await shot(page, '01-journeys');
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.getByLabel('Journey name').waitFor();
    await page.getByLabel('Journey name').fill('Review nudge (e2e)');

    // Palette → canvas, below the trigger.
    const trigger = node(page, 'trigger');
    await trigger.waitFor();
    const tb = (await trigger.boundingBox())!;
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const cx = tb.x - canvas.x + tb.width / 2;
    await dropFromPalette(page, 'delay', cx, tb.y - canvas.y + 170);
    await dropFromPalette(page, 'send_email', cx, tb.y - canvas.y + 320);
    expect(await page.locator('.react-flow__node').count()).toBe(3);

    // Connect trigger → delay → email.
    await connect(page, trigger.locator('.jn-out'), node(page, 'delay').locator('.jn-in'));
    await connect(page, node(page, 'delay').locator('.jn-out'), node(page, 'send_email').locator('.jn-in'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // Configure the delay from its generated form.
    await node(page, 'delay').click();
    await page.getByLabel('For', { exact: true }).fill('3');
    await expect.poll(() => node(page, 'delay').textContent()).toContain('Wait 3 days');

    // The email has no subject or body yet: problems are shown and publishing is blocked.
    await expect.poll(() => page.getByTestId('problems-button').textContent()).toMatch(/2 problems/);
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByTestId('problems-button').click();
    await shot(page, '02-problems');
    await page.getByRole('button', { name: /Subject is required/ }).click();
    const subject = page.getByLabel('Subject', { exact: true });
    await expect.poll(() => subject.evaluate((el) => el === document.activeElement)).toBe(true);

    // Liquid autocomplete: typing after {{ offers variables; Enter inserts one.
    await subject.pressSequentially('How are you liking {{ order.items[');
    await page.getByRole('option', { name: 'order.items[0].title' }).waitFor();
    await subject.press('Enter');
    expect(await subject.inputValue()).toBe('How are you liking {{ order.items[0].title }}');
    await page.getByLabel('Body (Liquid)').fill('Hi {{ customer.firstName }}, tell us what you think!');
    // The server renders it for a real demo customer (their latest order's first item, if any).
    await expect
      .poll(() => page.getByTestId('preview').textContent(), { timeout: 30_000 })
      .toMatch(/How are you liking/);
    expect(await page.getByTestId('preview-error').count()).toBe(0);
    await expect.poll(() => node(page, 'send_email').textContent()).toContain('Email · How are you liking');
    await expect.poll(() => page.getByTestId('problems-button').textContent()).toMatch(/No problems|warning/);
    await shot(page, '03-configured');

    // Autosave: the draft survives a reload.
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toBe('All changes saved');
    await page.reload();
    await node(page, 'send_email').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    expect(await page.getByLabel('Journey name').inputValue()).toBe('Review nudge (e2e)');

    // Publish with a note.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByLabel('What changed?').fill('Launch review nudge');
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published v1').waitFor();
    await page.getByText('Live · v1').waitFor();
    await shot(page, '04-published');

    // Versions panel lists v1 with its note.
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.locator('.version-note', { hasText: 'Launch review nudge' }).waitFor();
    await page.getByTestId('version-diff').waitFor();
    await shot(page, '04b-versions');

    // An order comes in through the API: the journey counts the run.
    const res = await fetch(`${e2e.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `evt_e2e_${Date.now()}`,
        type: 'order.placed',
        customer: { externalId: 'e2e-shopper', email: 'shopper@example.com', firstName: 'Sam' },
        order: {
          externalId: `ord_e2e_${Date.now()}`,
          total: 120,
          items: [{ name: 'Linen shirt', price: 120 }],
        },
      }),
    });
    expect(res.status).toBe(202);
    await page.getByRole('button', { name: 'Back to journeys' }).click();
    const row = page.getByRole('row', { name: /Review nudge \(e2e\)/ });
    await expect
      .poll(
        async () => {
          await page.reload();
          await row.waitFor();
          return row.getByTestId('entered').textContent();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('1');
    await shot(page, '05-run-counted');
    await page.close();
  });
});
