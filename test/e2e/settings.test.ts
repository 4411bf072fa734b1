import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { DEMO, type E2E, shot, signedInPage, startE2E } from './harness';

// As the workspace owner: change quiet hours and the SMS / email providers on the Settings page,
// reload, and find them saved — secrets shown only as "stored, ends in …".

let e2e: E2E;
let page: Page;
const SID = `AC${'0badc0de'.repeat(4)}`;

beforeAll(async () => {
  e2e = await startE2E('settings', { temporal: false, channels: testConfig() });
  page = await signedInPage(e2e);
}, 120_000);
afterAll(async () => e2e?.close());

const card = (name: string) => page.getByRole('region', { name });
async function openSettings() {
  await page.getByRole('link', { name: 'Settings' }).click();
  await card('Sending rules').waitFor();
}
async function save(name: string) {
  await card(name).getByRole('button', { name: 'Save' }).click();
  await card(name).getByRole('status').filter({ hasText: 'Saved' }).waitFor();
}

describe('settings page', () => {
  it('saves quiet hours and frequency caps', async () => {
    await openSettings();
    const rules = card('Sending rules');
    expect(await rules.getByLabel('Quiet from').inputValue()).toBe('21:00');
    await rules.getByLabel('Quiet from').fill('22:30');
    await rules.getByLabel('Quiet until').fill('07:15');
    await rules.getByLabel('Hours between marketing texts').fill('48');
    await save('Sending rules');

    await page.reload();
    await card('Sending rules').waitFor();
    expect(await card('Sending rules').getByLabel('Quiet from').inputValue()).toBe('22:30');
    expect(await card('Sending rules').getByLabel('Quiet until').inputValue()).toBe('07:15');
    expect(await card('Sending rules').getByLabel('Hours between marketing texts').inputValue()).toBe('48');
  });

  it('shows the field at fault and saves nothing for a bad sender number', async () => {
    const sms = card('SMS provider');
    await sms.getByLabel('Account SID').fill(SID);
    await sms.getByLabel('From number').fill('555-1234');
    await sms.getByRole('button', { name: 'Save' }).click();
    await sms.getByText('a phone number in E.164 format').waitFor();
    expect(await sms.getByLabel('From number').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves provider settings; secrets come back only as a hint', async () => {
    const sms = card('SMS provider');
    await sms.getByLabel('From number').fill('+15550004444');
    await sms.getByLabel('Auth token', { exact: true }).fill('e2e-twilio-token-5678');
    await save('SMS provider');

    const email = card('Email provider');
    await email.getByLabel('Resend API key', { exact: true }).fill('re_e2e_api_key_1234');
    await save('Email provider');

    const identity = card('Sender identity');
    await identity.getByLabel('From address').fill('Demo Shop <hello@demo-shop.test>');
    await identity.getByLabel('Reply-To address').fill('care@demo-shop.test');
    await save('Sender identity');

    await page.reload();
    await card('SMS provider').waitFor();
    expect(await card('SMS provider').getByLabel('Account SID').inputValue()).toBe(SID);
    expect(await card('SMS provider').getByLabel('From number').inputValue()).toBe('+15550004444');
    expect(await card('SMS provider').getByLabel('Auth token', { exact: true }).inputValue()).toBe('');
    await card('SMS provider').getByText('Stored, ends in 5678.').waitFor();
    await card('SMS provider')
      .getByText(/Sending through Twilio, this workspace's own account/)
      .waitFor();
    await card('Email provider').getByText('Stored, ends in 1234.').waitFor();
    expect(await card('Sender identity').getByLabel('From address').inputValue()).toBe(
      'Demo Shop <hello@demo-shop.test>',
    );
    expect(await card('Sender identity').getByLabel('Reply-To address').inputValue()).toBe(
      'care@demo-shop.test',
    );
    // The sender identity save kept the API key stored by the email provider card.
    await card('Email provider').getByText('Stored, ends in 1234.').waitFor();
    expect(await page.content()).not.toContain('e2e-twilio-token-5678');
    await shot(page, '40-settings');

    // What the API says matches what the page shows.
    const res = await fetch(`${e2e.baseUrl}/v1/workspace/channels`, {
      headers: { authorization: `Bearer ${DEMO.apiKey}` },
    });
    const view = await res.json();
    expect(view.sms).toMatchObject({ source: 'workspace', accountSid: SID, authToken: { set: true } });
    expect(view.email).toMatchObject({ source: 'workspace', from: 'Demo Shop <hello@demo-shop.test>' });
  });

  it('removes a stored secret', async () => {
    const sms = card('SMS provider');
    await sms.getByLabel('Remove the stored auth token').check();
    await save('SMS provider');
    await page.reload();
    await card('SMS provider').getByText('Not set.').waitFor();
    await card('SMS provider')
      .getByText(/Sending through the outbox/)
      .waitFor();
  });

  it("shows the server's error on the field at fault", async () => {
    // No token now, but the account SID stays: emptying the sender leaves the account unusable.
    const sms = card('SMS provider');
    await sms.getByLabel('From number').fill('');
    await sms.getByRole('button', { name: 'Save' }).click();
    await sms.getByText('a sender number or a messaging service SID is needed').waitFor();
    expect(await sms.getByLabel('From number').getAttribute('aria-invalid')).toBe('true');
    await page.reload();
    expect(await card('SMS provider').getByLabel('From number').inputValue()).toBe('+15550004444');
  });

  it('saves the brand layout', async () => {
    const brand = card('Brand layout');
    await brand.getByLabel('Postal address').fill('1 Market St, Springfield');
    await brand.getByLabel('Accent colour').fill('#0f766e');
    await save('Brand layout');
    await page.reload();
    expect(await card('Brand layout').getByLabel('Postal address').inputValue()).toBe(
      '1 Market St, Springfield',
    );
    expect(await card('Brand layout').getByLabel('Accent colour').inputValue()).toBe('#0f766e');
  });

  it('keeps API keys working', async () => {
    await page.getByLabel('New key name').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Copy this key now').waitFor();
    await page.getByRole('cell', { name: 'Zapier' }).waitFor();
  });
});
