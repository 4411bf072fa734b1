import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleGraph } from '../api/graphs';
import { apiCall, type E2E, shot, signedInPage, startE2E, until } from './harness';

// As the owner: invite a support teammate and hand them the link; as the teammate (a fresh browser):
// create the account from the link, cancel a waiting run, and find the journey editor's Publish unusable.
// Then the owner makes a second workspace, switches to it, and back.

let e2e: E2E;
let owner: Page;
let journeyId: string;
let runId: string;
const TEAMMATE = { email: 'sam.support@demo.test', name: 'Sam Support', password: 'support-pass-2025' };

const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);

/** A page in its own browser context (no cookies, no storage shared with the owner's). */
async function freshPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  return page;
}

beforeAll(async () => {
  e2e = await startE2E('team', { temporal: true });
  const journey = await call('POST', '/v1/journeys', { name: 'Thank-you wait', graph: simpleGraph() });
  journeyId = journey.id;
  await call('POST', `/v1/journeys/${journeyId}/publish`, {});
  await call('POST', '/v1/events', {
    id: 'evt_team_1',
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: { externalId: 'cus_team_1', email: 'waiting@example.com', firstName: 'Wendy' },
    order: { externalId: 'ord_team_1', total: 42, currency: 'USD', items: [] },
  });
  // The run waits three days in its delay: a run the support teammate can cancel.
  runId = await until(async () => {
    const runs = (await call('GET', `/v1/runs?journeyId=${journeyId}`)) as { id: string; status: string }[];
    return runs.find((r) => r.status === 'waiting')?.id;
  });
  owner = await signedInPage(e2e);
  await owner.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
}, 180_000);

afterAll(async () => {
  await e2e?.close();
});

describe('teams', () => {
  it('an owner invites a support teammate, who joins from the link, cancels a run and cannot publish', async () => {
    await owner.getByRole('link', { name: 'Settings' }).click();
    await owner.getByRole('link', { name: 'Members', exact: true }).click();
    await owner.getByRole('heading', { name: 'Settings · Members' }).waitFor();
    await owner.getByLabel('Email to invite').fill(TEAMMATE.email);
    await owner.getByLabel('Role to invite as').selectOption('support');
    await owner.getByRole('button', { name: 'Invite', exact: true }).click();
    const shown = (await owner.getByTestId('invitation-link').textContent()) ?? '';
    expect(shown).toMatch(/\/invite\/[^/\s]+$/);
    await owner.getByRole('button', { name: 'Copy link' }).click();
    await owner.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await owner.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);
    const pending = owner.getByRole('row').filter({ hasText: TEAMMATE.email });
    expect(await pending.textContent()).toMatch(/support.*pending/);
    await shot(owner, '60-team-invited');

    const mate = await freshPage(e2e.browser);
    await mate.goto(`${e2e.baseUrl}${new URL(copied).pathname}`);
    await mate.getByRole('heading', { name: 'Join Demo' }).waitFor();
    expect(await mate.locator('main').textContent()).toContain(`${TEAMMATE.email} is invited as support`);
    await mate.getByLabel('Your name').fill(TEAMMATE.name);
    await mate.getByLabel('New password', { exact: true }).fill(TEAMMATE.password);
    await mate.getByLabel('Repeat the new password').fill(TEAMMATE.password);
    await shot(mate, '61-team-accept');
    await mate.getByRole('button', { name: 'Create account and join' }).click();
    await mate.getByRole('heading', { name: 'Journeys', exact: true }).waitFor({ timeout: 15_000 });
    expect(await mate.getByRole('link', { name: `Account: ${TEAMMATE.email}` }).isVisible()).toBe(true);
    expect(await mate.getByRole('button', { name: 'New journey' }).isDisabled()).toBe(true);

    // The run page: support may cancel.
    await mate.goto(`${e2e.baseUrl}/runs/${runId}`);
    await mate.getByRole('button', { name: 'Cancel run' }).click();
    await mate.getByLabel('Reason (kept in the audit log)').fill('Customer asked to stop');
    await mate
      .getByRole('form', { name: 'Cancel this run' })
      .getByRole('button', { name: 'Cancel run' })
      .click();
    await mate.getByText(`Run cancelled by ${TEAMMATE.email}`).first().waitFor({ timeout: 20_000 });
    await shot(mate, '62-team-support-cancelled');

    // The journey editor opens to read; Publish is there but unusable, and says why.
    await mate.goto(`${e2e.baseUrl}/journeys/${journeyId}`);
    const publish = mate.getByRole('button', { name: 'Publish' });
    await publish.waitFor();
    expect(await publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute('title')).toBe(
      'Your role (support) cannot change journeys, segments or templates.',
    );
    expect(await mate.getByText('View only.').isVisible()).toBe(true);
    await shot(mate, '63-team-support-editor');
    await mate.context().close();

    // The owner sees the new member with the support role, and the invitation accepted.
    await owner.reload();
    await owner.getByRole('heading', { name: 'Settings · Members' }).waitFor();
    expect(await owner.getByLabel(`Role of ${TEAMMATE.email}`).inputValue()).toBe('support');
    expect(await owner.getByRole('row').filter({ hasText: TEAMMATE.email }).last().textContent()).toMatch(
      /accepted/,
    );
  });

  it('an owner creates a second workspace, switches to it and back', async () => {
    const switcher = owner.getByRole('combobox', { name: 'Workspace' });
    await switcher.selectOption({ label: '+ New workspace…' });
    const dialog = owner.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Workspace name').fill('Second Brand');
    await dialog.getByLabel('Time zone').selectOption('Europe/Paris');
    await dialog.getByLabel('Brand name (in emails; optional)').fill('Second Brand Co');
    await shot(owner, '64-team-new-workspace');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await owner.getByText('No journeys yet.').waitFor({ timeout: 15_000 });
    expect(await switcher.locator('option:checked').textContent()).toBe('Second Brand');
    expect(await owner.getByRole('link', { name: 'Thank-you wait' }).count()).toBe(0);
    await shot(owner, '65-team-second-workspace');

    await switcher.selectOption({ label: 'Demo' });
    await owner.getByRole('link', { name: 'Thank-you wait' }).waitFor({ timeout: 15_000 });
    expect(await switcher.locator('option:checked').textContent()).toBe('Demo');
    await switcher.selectOption({ label: 'Second Brand' });
    await owner.getByText('No journeys yet.').waitFor();
  });
});
