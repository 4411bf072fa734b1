import { listSystemEmailsTo } from '@hourglass/db';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type E2E, shot, signedInPage, startE2E } from './harness';

// As the owner: API keys with scopes and a note, revoked keys shown as revoked, the audit log's filters,
// the last-owner refusal in words, renaming and deleting a workspace; then the links that arrive by
// email: a forged one says so, and a forgotten password is reset once, signing out everywhere.

let e2e: E2E;
let page: Page;
const NEW_PASSWORD = 'a-brand-new-passphrase';

async function freshPage() {
  const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

const settingsTab = async (name: string) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name, exact: true }).click();
};

beforeAll(async () => {
  e2e = await startE2E('team_settings', { temporal: false });
  page = await signedInPage(e2e);
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

describe('team settings', () => {
  it('creates a key with scopes and a note, shows it once, revokes it and shows it revoked', async () => {
    await settingsTab('General');
    await page.getByLabel('New key name').fill('Helpdesk');
    await page.getByLabel('Key note').fill('Zendesk sidebar app');
    await page.getByRole('checkbox', { name: 'ingest' }).uncheck();
    await page.getByRole('checkbox', { name: 'support' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Copy this key now').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Helpdesk' });
    expect(await row.textContent()).toMatch(/HelpdeskZendesk sidebar app.*read, support.*never/);
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByRole('button', { name: 'Confirm revoke' }).click();
    await row.getByText(/^Revoked /).waitFor();
    expect(await row.getAttribute('class')).toBe('revoked');
    await shot(page, '66-team-key-revoked');
  });

  it('filters the audit log by action and by actor', async () => {
    await settingsTab('Audit log');
    await page.getByRole('heading', { name: 'Settings · Audit log' }).waitFor();
    await page.getByLabel('Action').fill('api_key');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'api_key.revoke' }).waitFor();
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.sort()).toEqual(['api_key.create', 'api_key.revoke']);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Actor').fill('nobody@');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByLabel('Actor').fill('owner@demo');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'auth.login' }).first().waitFor();
    await shot(page, '67-team-audit');
  });

  it('refuses to demote the last owner, and says so beside the role', async () => {
    await settingsTab('Members');
    const role = page.getByLabel(`Role of ${DEMO.email}`);
    await role.selectOption('admin');
    const row = page.getByRole('row').filter({ hasText: DEMO.email });
    expect(await row.getByRole('alert').textContent()).toMatch(/owner/i);
    expect(await role.inputValue()).toBe('owner');
    await shot(page, '68-team-last-owner');
  });

  it('renames a workspace, and deletes it only once its name is typed', async () => {
    const switcher = page.getByRole('combobox', { name: 'Workspace' });
    await switcher.selectOption({ label: '+ New workspace…' });
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Workspace name').fill('Pop-up shop');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByText('No journeys yet.').waitFor();
    await settingsTab('Workspace');
    await page.getByRole('textbox', { name: 'Workspace name' }).fill('Pop-up shop 2');
    await page.getByRole('button', { name: 'Rename' }).click();
    await switcher.locator('option', { hasText: 'Pop-up shop 2' }).waitFor({ state: 'attached' });
    const remove = page.getByRole('button', { name: 'Delete workspace' });
    await page.getByLabel(/to confirm/).fill('Pop-up shop');
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill('Pop-up shop 2');
    await shot(page, '69-team-delete-workspace');
    await remove.click();
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();
    await page.waitForFunction(() => !document.body.textContent?.includes('Pop-up shop'));
    expect(await switcher.locator('option:checked').textContent()).toBe('Demo');
  });

  it('forged invitation and reset links answer with a page that says so', async () => {
    const visitor = await freshPage();
    await visitor.goto(`${e2e.baseUrl}/invite/not-a-real-token`);
    await visitor.getByRole('heading', { name: 'This invitation link is not valid' }).waitFor();
    // A dead reset link says so on arrival, before a password is typed.
    await visitor.goto(`${e2e.baseUrl}/reset/not-a-real-token`);
    await visitor.getByRole('heading', { name: 'This reset link is not valid' }).waitFor();
    await shot(visitor, '70-team-dead-reset-link');
    await visitor.context().close();
  });

  it('resets a forgotten password from the emailed link once, signing out everywhere', async () => {
    const visitor = await freshPage();
    await visitor.goto(e2e.baseUrl);
    await visitor.getByRole('button', { name: 'Forgot password?' }).click();
    await visitor.getByLabel('Email').fill(DEMO.email);
    await visitor.getByRole('button', { name: 'Send reset link' }).click();
    await visitor.getByText(/If an account exists for owner@demo\.test, we sent a link/).waitFor();
    // The installation has no email provider: the outbox recorded the email, link included.
    let body = '';
    for (let i = 0; i < 50 && !body; i++) {
      const [email] = await listSystemEmailsTo(e2e.db.db, DEMO.email, { kind: 'password_reset' });
      body = email?.bodyText ?? '';
      if (!body) await new Promise((r) => setTimeout(r, 200));
    }
    const path = /\/reset\/[A-Za-z0-9_-]+/.exec(body)?.[0];
    expect(path).toBeTruthy();
    await visitor.goto(`${e2e.baseUrl}${path}`);
    await visitor.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await visitor.getByLabel('Repeat the new password').fill('something else entirely');
    await visitor.getByRole('button', { name: 'Set new password' }).click();
    await visitor.getByText('The two passwords differ.').waitFor();
    await visitor.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await visitor.getByRole('button', { name: 'Set new password' }).click();
    await visitor.getByRole('heading', { name: 'Password changed' }).waitFor();
    await shot(visitor, '71-team-password-reset');

    // The owner's other session ended with the reset.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await visitor.getByRole('link', { name: 'Sign in' }).click();
    await visitor.getByLabel('Email').fill(DEMO.email);
    await visitor.getByLabel('Password').fill(NEW_PASSWORD);
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();

    // Used once: the same link now says so as soon as it opens.
    await visitor.goto(`${e2e.baseUrl}${path}`);
    await visitor.getByRole('heading', { name: 'This reset link was already used' }).waitFor();

    // The account page: change the password, then sign out everywhere.
    await visitor.goto(e2e.baseUrl);
    await visitor.getByRole('link', { name: `Account: ${DEMO.email}` }).click();
    await visitor.getByRole('heading', { name: 'Account' }).waitFor();
    await visitor.getByLabel('Current password').fill('wrong password');
    await visitor.getByLabel('New password', { exact: true }).fill(DEMO.password);
    await visitor.getByLabel('Repeat the new password').fill(DEMO.password);
    await visitor.getByRole('button', { name: 'Change password' }).click();
    await visitor.getByRole('region', { name: 'Change password' }).getByRole('alert').waitFor();
    await visitor.getByLabel('Current password').fill(NEW_PASSWORD);
    await visitor.getByRole('button', { name: 'Change password' }).click();
    await visitor.getByText('Password changed; your other sessions were signed out.').waitFor();
    await shot(visitor, '72-team-account');
    await visitor.getByRole('button', { name: 'Sign out everywhere' }).click();
    await visitor.getByRole('heading', { name: 'Sign in' }).waitFor();
    await visitor.context().close();
  });
});
