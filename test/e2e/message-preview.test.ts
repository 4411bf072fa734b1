import { graphBuilder } from '@hourglass/nodes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('preview', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

/** Adds a step with the keyboard only (focus the palette item, press Enter) and waits for its inspector. */
async function addStep(page: Page, label: string, kind: string) {
  await page.getByRole('button', { name: `Add step: ${label}` }).focus();
  await page.keyboard.press('Enter');
  await page.locator(`.react-flow__node[data-id^="${kind}"]`).waitFor();
}

describe('message preview in the inspector', () => {
  it('renders on the server for a chosen customer, shows template errors, and sends a test to the outbox', async () => {
    const { rows } = await e2e.db.pool.query(
      "select o.external_id from orders o join customers c on c.id = o.customer_id where c.email = 'olivia@example.com' order by o.placed_at desc limit 1",
    );
    const latestOrder = rows[0].external_id as string;

    const page = await signedInPage(e2e);
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await addStep(page, 'Send email', 'send_email');

    const subject = page.getByLabel('Subject', { exact: true });
    await subject.fill('Thanks {{ customer.firstName }} for order {{ order.number }}');
    await page
      .getByLabel('Body (Liquid)')
      .fill('Hello {{ customer.firstName }}, your {{ order.total }} order.');

    // Pick a real customer by searching; her latest order is chosen for her.
    await page.getByLabel('Search customers to preview for').fill('olivia');
    await page.getByLabel('Preview customer').selectOption({ label: 'Olivia Brown · olivia@example.com' });
    const rendered = page.getByTestId('preview-subject');
    await expect
      .poll(() => rendered.textContent(), { timeout: 10_000 })
      .toBe(`Thanks Olivia for order ${latestOrder}`);
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('Hello Olivia');
    // The HTML sits in a sandboxed frame: no scripts, no access to the app.
    const frame = page.getByTitle('Email preview');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('iframe[title="Email preview"]').locator('body').textContent()).toContain(
      'Hello Olivia',
    );
    await rendered.scrollIntoViewIfNeeded();
    await shot(page, '40-preview-server');

    // Another customer: the preview follows.
    await page.getByLabel('Search customers to preview for').fill('lucas');
    await page.getByLabel('Preview customer').selectOption({ label: 'Lucas Silva · lucas@example.com' });
    await expect.poll(() => rendered.textContent(), { timeout: 10_000 }).toMatch(/^Thanks Lucas for order /);

    // A filter Liquid does not know is a template error, shown explicitly (not a blank preview).
    await subject.fill('Thanks {{ customer.firstName | shout }}');
    const error = page.getByTestId('preview-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/subject/i);
    expect(await error.textContent()).toMatch(/shout/);
    await error.scrollIntoViewIfNeeded();
    await shot(page, '41-preview-template-error');
    await subject.fill('Thanks {{ customer.firstName }} for order {{ order.number }}');
    await expect.poll(() => rendered.textContent(), { timeout: 10_000 }).toMatch(/^Thanks Lucas/);

    // Send test: a bad address is refused in place, a good one lands in the outbox.
    const to = page.getByLabel('Send a test to');
    await to.fill('not-an-address');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Enter an email address, e.g. you@shop.com').waitFor();
    await to.fill('qa-tester@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.getByTestId('test-send-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toContain('qa-tester@example.com');
    await result.scrollIntoViewIfNeeded();
    await shot(page, '42-test-send');

    await page.getByRole('link', { name: 'See it in Messages' }).click();
    await page.getByRole('heading', { name: 'Messages', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /\[Test\] Thanks Lucas for order/ });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('Email');
    await shot(page, '43-messages-outbox');
    await page.close();
  });

  it('shows the SMS text with its segment count and encoding', async () => {
    const page = await signedInPage(e2e);
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await addStep(page, 'Send SMS', 'send_sms');
    await page.getByLabel('Transactional (not marketing)').check();
    const message = page.getByLabel('Message (Liquid)');
    await message.fill('Hi {{ customer.firstName }}, your order shipped');
    const segments = page.getByTestId('sms-segments');
    await expect.poll(() => segments.textContent(), { timeout: 10_000 }).toMatch(/^1 segment · GSM-7/);
    await message.fill(`Hi {{ customer.firstName }} 🎉 ${'x'.repeat(80)}`);
    await expect.poll(() => segments.textContent(), { timeout: 10_000 }).toMatch(/^2 segments · UCS-2/);
    expect(await segments.textContent()).toContain('🎉');
    expect(await page.getByLabel('Text a test to').getAttribute('type')).toBe('tel');
    await segments.scrollIntoViewIfNeeded();
    await shot(page, '44-preview-sms');
    await page.close();
  });

  it('renders the outputs of earlier steps with sample values, and says so', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', {})
      .node('discount', 'create_discount', { kind: 'percent', value: 15, expiresInDays: 14 })
      .stepName('discount', 'discount')
      .node('recs', 'recommend_products', { limit: 2 })
      .stepName('recs', 'recommendations')
      .node('mail', 'send_email', {
        subject: 'Your code {{ steps.discount.code }}',
        body: '{{ steps.discount.percentOff }}% off.{% for p in steps.recommendations.products %} {{ p.title }}{% endfor %}',
      })
      .node('done', 'exit')
      .edge('trigger', 'discount')
      .edge('discount', 'recs')
      .edge('recs', 'mail')
      .edge('mail', 'done')
      .build();
    const res = await fetch(`${e2e.baseUrl}/v1/journeys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Thanks with a code', graph }),
    });
    expect(res.status).toBe(201);
    const journey = (await res.json()) as { id: string };

    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${journey.id}`);
    await page.locator('.react-flow__node[data-id="mail"]').click();
    const rendered = page.getByTestId('preview-subject');
    await expect.poll(() => rendered.textContent(), { timeout: 10_000 }).toBe('Your code SAMPLE-CODE');
    const text = page.getByTestId('preview-text');
    await expect.poll(() => text.textContent()).toContain('15% off. Sample product 1 Sample product 2');
    const note = page.getByTestId('preview-samples');
    expect(await note.textContent()).toBe(
      'Step outputs are samples: steps.discount.code = SAMPLE-CODE, steps.recommendations.count = 2',
    );

    // The samples follow the discount's config.
    await page.locator('.react-flow__node[data-id="discount"]').click();
    await page.getByLabel('Code prefix, e.g. THANKS-').fill('thanks-');
    await page.locator('.react-flow__node[data-id="mail"]').click();
    await expect.poll(() => rendered.textContent(), { timeout: 10_000 }).toBe('Your code THANKS-SAMPLE-CODE');
    await note.scrollIntoViewIfNeeded();
    await shot(page, '45-preview-step-samples');
    await page.close();
  });
});
