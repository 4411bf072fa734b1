import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, type E2E, shot, signedInPage, startE2E, until } from './harness';

// The block email composer: switch a send-email step to blocks, build the email from blocks with
// the keyboard-reachable list, and see the server's rendering for a real customer at desktop and
// phone widths (MJML's columns stack on the phone).

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('composer', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

type Node = { id: string; data: { config: Record<string, unknown> } };

describe('email composer', () => {
  it('builds an email from blocks and previews it for a real customer at desktop and mobile widths', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', {})
      .node('recs', 'recommend_products', { limit: 2 })
      .node('mail', 'send_email', { subject: 'Thanks {{ customer.firstName }}', body: '<p>Old body</p>' })
      .node('done', 'exit')
      .edge('trigger', 'recs')
      .edge('recs', 'mail')
      .edge('mail', 'done')
      .build();
    const journey = (await apiCall(e2e, 'POST', '/v1/journeys', { name: 'Composer', graph })) as {
      id: string;
    };

    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${journey.id}`);
    await page.locator('.react-flow__node[data-id="mail"]').click();
    // An email saved before blocks keeps its raw HTML body until the marketer switches.
    await expect.poll(() => page.getByLabel('Raw HTML').isChecked()).toBe(true);
    await page.getByLabel('Body (Liquid)').waitFor();
    await page.getByLabel('Blocks', { exact: true }).check();
    expect(await page.getByLabel('Body (Liquid)').count()).toBe(0);
    await page.getByRole('button', { name: 'Open composer' }).click();

    const dialog = page.getByRole('dialog', { name: /Email composer/ });
    await dialog.waitFor();
    const blocks = dialog.getByRole('region', { name: 'Email blocks' });
    // The starter email: heading, text, footer.
    await expect.poll(() => blocks.locator(':scope > ol > li').count()).toBe(3);
    const addTo = async (list: typeof blocks, kind: string, listName: string) => {
      await list.getByLabel(`Block to add to ${listName}`).last().selectOption({ label: kind });
      await list
        .getByRole('button', { name: `Add block to ${listName}` })
        .last()
        .click();
    };
    await blocks.getByLabel('Text', { exact: true }).fill('Your {{ order.items[0].name }} is packed.');
    await addTo(blocks, 'Order items', 'email blocks');
    await addTo(blocks, 'Two columns', 'email blocks');
    const left = blocks.getByRole('region', { name: 'Left column' });
    const right = blocks.getByRole('region', { name: 'Right column' });
    await addTo(left, 'Text', 'left column');
    await left
      .getByLabel('Text', { exact: true })
      .fill('Free returns for 30 days, {{ customer.firstName }}.');
    await addTo(right, 'Button', 'right column');
    await right.getByLabel('Label').fill('Shop again');
    await right.getByLabel('Link', { exact: true }).fill('https://shop.example/?c={{ customer.id }}');
    await addTo(blocks, 'Recommended products', 'email blocks');
    // Reorder from the keyboard: the products move above the columns, focus follows them.
    await blocks.getByRole('button', { name: 'Move Recommended products 5 up' }).focus();
    await page.keyboard.press('Enter');
    const movedUp = blocks.getByRole('button', { name: 'Move Recommended products 4 up' });
    await expect.poll(() => movedUp.evaluate((el) => el === document.activeElement)).toBe(true);
    // An unsafe link is refused with the field at fault, right in the composer.
    await addTo(blocks, 'Image', 'email blocks');
    await blocks.getByLabel('Image URL (https)').fill('javascript:alert(1)');
    await expect
      .poll(() => blocks.locator('.field-error').first().textContent(), { timeout: 10_000 })
      .toMatch(/https/);
    await blocks.getByRole('button', { name: 'Remove Image 6' }).click();

    // A real customer: Olivia, with her latest order.
    await dialog.getByLabel('Search customers to preview for').fill('olivia');
    await dialog.getByLabel('Preview customer').selectOption({ label: 'Olivia Brown · olivia@example.com' });
    await expect
      .poll(() => dialog.getByTestId('composer-subject').textContent(), { timeout: 15_000 })
      .toBe('Thanks Olivia');
    const desktop = dialog.frameLocator('iframe[title="Email preview, desktop width"]');
    await expect
      .poll(() => desktop.locator('body').textContent(), { timeout: 15_000 })
      .toContain('Your Rain shell is packed.');
    const body = (await desktop.locator('body').textContent()) ?? '';
    expect(body).toContain('Rain shell × 1');
    expect(body).toContain('Free returns for 30 days, Olivia.');
    expect(body).toContain('Sample product 1'); // the recommend step's sample output
    expect(await desktop.getByRole('link', { name: 'Shop again' }).getAttribute('href')).toMatch(
      /^https:\/\/shop\.example\/\?c=[0-9a-f-]{36}$/,
    );
    // Side by side on a desktop: the button's column sits to the right of the text's.
    const columnsAt = async (frame: typeof desktop) => {
      const text = await frame.getByText('Free returns for 30 days').boundingBox();
      const button = await frame.getByRole('link', { name: 'Shop again' }).boundingBox();
      return { text: text!, button: button! };
    };
    const wide = await columnsAt(desktop);
    expect(wide.button.x).toBeGreaterThan(wide.text.x + 200);
    await shot(page, '50-composer-desktop');

    await dialog.getByRole('button', { name: 'Mobile (375px)' }).click();
    const mobile = dialog.frameLocator('iframe[title="Email preview, mobile width"]');
    const frameWidth = (await dialog.locator('iframe.composer-frame').boundingBox())?.width ?? 0;
    expect(Math.abs(frameWidth - 375)).toBeLessThanOrEqual(2);
    await mobile.getByText('Free returns for 30 days').waitFor();
    // Stacked on a phone: the button comes below the text.
    const narrow = await columnsAt(mobile);
    expect(narrow.button.y).toBeGreaterThan(narrow.text.y + narrow.text.height);
    await shot(page, '51-composer-mobile');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(
      await page
        .getByRole('button', { name: 'Open composer' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);

    // The draft holds the blocks (saved as edited); the old body is kept for raw HTML mode.
    const saved = await until(async () => {
      const j = (await apiCall(e2e, 'GET', `/v1/journeys/${journey.id}`)) as {
        draftGraph: { nodes: Node[] };
      };
      const mail = j.draftGraph.nodes.find((n) => n.id === 'mail')!.data.config;
      return Array.isArray(mail.blocks) && mail.blocks.length === 6 ? mail : null;
    }, 15_000);
    expect(saved.mode).toBe('blocks');
    expect(saved.body).toBe('<p>Old body</p>');
    expect((saved.blocks as { type: string }[]).map((b) => b.type)).toEqual([
      'heading',
      'text',
      'order_items',
      'products',
      'columns',
      'footer',
    ]);
    await page.close();
  });
});
