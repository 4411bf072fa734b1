import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { DEMO, type E2E, signedInPage, startE2E } from './harness';

// As the workspace owner: add a workspace secret on the Settings page, rotate it, delete it; the
// value is visible only while it is typed and never shown back.

let e2e: E2E;
let page: Page;
const FIRST = 'whsec_ZTJlLWZpcnN0LXNlY3JldC12YWx1ZQ==';
const SECOND = 'whsec_ZTJlLXJvdGF0ZWQtc2VjcmV0LXZhbHVl';

beforeAll(async () => {
  e2e = await startE2E('secrets', { temporal: false, channels: testConfig() });
  page = await signedInPage(e2e);
}, 120_000);
afterAll(async () => e2e?.close());

const apiSecrets = async () =>
  (
    await fetch(`${e2e.baseUrl}/v1/workspace/secrets`, {
      headers: { authorization: `Bearer ${DEMO.apiKey}` },
    })
  ).json();

describe('workspace secrets on the settings page', () => {
  it('adds, rotates and deletes a secret without ever showing its value back', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('No secrets yet.').waitFor();

    await page.getByLabel('New secret name').fill('crm-webhook');
    await page.getByLabel('New secret value').fill(FIRST);
    await page.getByRole('button', { name: 'Add secret' }).click();
    await page.getByRole('cell', { name: 'crm-webhook', exact: true }).waitFor();
    expect(await page.getByLabel('New secret value').inputValue()).toBe('');
    expect(await page.content()).not.toContain(FIRST);
    expect(await apiSecrets()).toEqual([expect.objectContaining({ name: 'crm-webhook', rotatedAt: null })]);

    // A taken name shows the server's answer and stores nothing.
    await page.getByLabel('New secret name').fill('crm-webhook');
    await page.getByLabel('New secret value').fill('other');
    await page.getByRole('button', { name: 'Add secret' }).click();
    await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
    await page.getByLabel('New secret name').fill('');
    await page.getByLabel('New secret value').fill('');

    await page.getByRole('button', { name: 'Rotate crm-webhook' }).click();
    await page.getByLabel('New value for crm-webhook').fill(SECOND);
    const row = page.getByRole('row').filter({ hasText: 'crm-webhook' });
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Rotate crm-webhook' }).waitFor();
    await expect.poll(async () => (await apiSecrets())[0]?.rotatedAt).not.toBeNull();
    await page.reload();
    await page.getByRole('cell', { name: 'crm-webhook', exact: true }).waitFor();
    const html = await page.content();
    expect(html).not.toContain(FIRST);
    expect(html).not.toContain(SECOND);

    await page.getByRole('button', { name: 'Delete crm-webhook' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('No secrets yet.').waitFor();
    expect(await apiSecrets()).toEqual([]);
  });
});
