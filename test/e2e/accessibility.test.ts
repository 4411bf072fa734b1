import { randomBytes } from 'node:crypto';
import { listSystemEmailsTo } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { axeViolations } from './axe';
import { apiCall, DEMO, type E2E, selectStep, shot, signedInPage, startE2E, until } from './harness';

// Every page, signed out and signed in, has no serious or critical axe-core violations; and a step is
// added, connected and disconnected with the keyboard alone.

let e2e: E2E;
let emulator: Emulator;
const tag = randomBytes(3).toString('hex');
const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);
const ids = { journey: '', run: '', message: '', customer: '' };

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('a11y_pages', { temporal: true, channels: channelsConfig(emulator.url) });
  const graph = graphBuilder()
    .node('trigger', 'trigger', {}, 'Order placed')
    .node(
      'thanks',
      'send_email',
      { subject: 'Thanks, {{ customer.firstName }}', body: 'Thank you.' },
      'Thanks',
    )
    .node('wait', 'delay', { mode: 'duration', amount: 3, unit: 'days' }, 'Wait 3 days')
    .node('done', 'exit', {})
    .edge('trigger', 'thanks')
    .edge('thanks', 'wait')
    .edge('wait', 'done')
    .build();
  const journey = (await call('POST', '/v1/journeys', { name: `Thanks ${tag}`, graph })) as { id: string };
  ids.journey = journey.id;
  await call('POST', `/v1/journeys/${journey.id}/publish`, {});
  await call('POST', '/v1/events', {
    id: `evt_a11y_${tag}`,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: { externalId: `cus_a11y_${tag}`, email: `a11y-${tag}@example.com`, firstName: 'Alex' },
    order: { externalId: `ord_a11y_${tag}`, total: 42, currency: 'USD', items: [] },
  });
  const run = await until(async () => {
    const runs = (await call('GET', `/v1/runs?journeyId=${journey.id}`)) as {
      id: string;
      status: string;
      customerId: string;
    }[];
    return runs[0]?.status === 'waiting' ? runs[0] : null;
  });
  ids.run = run.id;
  ids.customer = run.customerId;
  const messages = (await call('GET', '/v1/messages')) as { id: string }[] | { items: { id: string }[] };
  const list = Array.isArray(messages) ? messages : messages.items;
  ids.message = list[0]?.id ?? '';
}, 120_000);

afterAll(async () => {
  await e2e?.close();
  await emulator?.close();
});

/** Violations per page state; only states with some are kept, so the failure names them all. */
const found: Record<string, string[]> = {};
async function audit(page: Page, name: string, ready?: Locator) {
  await ready?.waitFor();
  // Queries still loading show "Loading…": audit what the user reads once they have answered.
  await until(async () => !(await page.getByText(/^Loading/).count()), 10_000).catch(() => {});
  await page.waitForTimeout(300);
  const v = await axeViolations(page);
  if (v.length > 0) {
    found[name] = v;
    await shot(page, `a11y-${name}`);
  }
}

describe('accessibility', () => {
  it('has no serious or critical axe violations on any page', async () => {
    // Signed out: sign-in, forgotten password, an invitation, a reset link (real and forged).
    const visitor = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await visitor.goto(e2e.baseUrl);
    await audit(visitor, 'sign-in', visitor.getByRole('button', { name: 'Sign in' }));
    await visitor.getByRole('button', { name: 'Forgot password?' }).click();
    await audit(visitor, 'forgot-password', visitor.getByRole('button', { name: 'Send reset link' }));
    await visitor.getByLabel('Email').fill(DEMO.email);
    await visitor.getByRole('button', { name: 'Send reset link' }).click();
    // Sent through the provider when one is set up, else recorded in the outbox.
    const body = await until(async () => {
      const [email] = await listSystemEmailsTo(e2e.db.db, DEMO.email, { kind: 'password_reset' });
      const sent = emulator.deliveries.find((d) => d.to === DEMO.email && d.body.includes('/reset/'));
      return email?.bodyText ?? sent?.body ?? null;
    });
    const resetPath = /\/reset\/[A-Za-z0-9_-]+/.exec(body)?.[0] ?? '/reset/missing';
    await visitor.goto(`${e2e.baseUrl}${resetPath}`);
    await audit(visitor, 'reset', visitor.getByLabel('New password', { exact: true }));
    await visitor.goto(`${e2e.baseUrl}/reset/not-a-real-token`);
    await audit(visitor, 'reset-forged', visitor.getByRole('heading', { name: /not valid/ }));
    await visitor.goto(`${e2e.baseUrl}/invite/not-a-real-token`);
    await audit(visitor, 'invite-forged', visitor.getByRole('heading').first());

    const page = await signedInPage(e2e);
    const go = (path: string) => page.goto(`${e2e.baseUrl}${path}`);
    const h1 = page.getByRole('heading', { level: 1 }).first();
    await audit(page, 'journeys', h1);

    // The editor on a seeded template: the canvas, a message step, a branch, analytics, problems, versions.
    await page.getByRole('link', { name: 'Order confirmation & delivery updates' }).first().click();
    await page.locator('.react-flow__node').first().waitFor();
    await audit(page, 'editor', h1);
    // Every step is named apart, even among several of one kind.
    const names = await page
      .locator('.react-flow__node')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names.length).toBeGreaterThan(4);
    expect(new Set(names).size, names.join(' | ')).toBe(names.length);
    await selectStep(page.locator('.react-flow__node-send_email').first());
    await audit(page, 'editor-email-step', page.getByRole('heading', { name: 'Preview' }));
    const branch = page.locator('.react-flow__node-branch, .react-flow__node-wait_for_event').first();
    await selectStep(branch);
    await audit(page, 'editor-branch-step', page.locator('.inspector-form'));
    await page.getByRole('checkbox', { name: 'Analytics' }).check();
    await audit(page, 'editor-analytics', page.getByTestId('journey-analytics'));
    await page.getByTestId('problems-button').click();
    await audit(page, 'editor-problems');
    await page.getByRole('button', { name: 'Versions' }).click();
    await audit(page, 'editor-versions', page.getByRole('complementary', { name: 'Version history' }));
    await go(`/journeys/${ids.journey}`);
    await audit(page, 'editor-live', page.locator('.react-flow__node').first());
    // The block composer, at both widths.
    await selectStep(page.locator('.react-flow__node-send_email').first());
    await page.getByLabel('Blocks', { exact: true }).check();
    await page.getByRole('button', { name: 'Open composer' }).click();
    const composer = page.getByRole('dialog', { name: /Email composer/ });
    await audit(page, 'composer', composer.getByRole('region', { name: 'Email blocks' }));
    await composer.getByRole('button', { name: 'Mobile (375px)' }).click();
    await audit(page, 'composer-mobile');
    await composer.getByRole('button', { name: 'Done' }).click();
    // A live journey whose draft differs: the header says so; publishing estimates the audience.
    await page.getByTestId('draft-state').waitFor();
    await audit(page, 'editor-draft-differs');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await audit(page, 'publish-dialog', page.getByRole('dialog', { name: 'Publish journey' }));
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Discard draft changes' }).click();
    await audit(page, 'discard-draft', page.getByRole('button', { name: 'Yes, discard' }));
    await page.keyboard.press('Escape');
    // The journey's report under the analytics bar, and a wait for engagement with its step picker.
    await page.getByRole('checkbox', { name: 'Analytics' }).check();
    await page.getByRole('button', { name: 'Report' }).click();
    await audit(page, 'editor-report', page.getByTestId('journey-report'));
    await page.getByRole('checkbox', { name: 'Analytics' }).uncheck();
    await page.getByLabel('Search steps').fill('engagement');
    await page.getByLabel('Search steps').press('Enter');
    await selectStep(page.locator('.react-flow__node[data-id^="wait_for_event"]'));
    await audit(page, 'editor-wait-for-engagement', page.locator('select[id$="-messageStep"]'));

    await go('/segments');
    await audit(page, 'segments', h1);
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByRole('button', { name: 'Add condition' }).click();
    await audit(page, 'segment-editor', page.getByRole('heading', { name: 'New segment' }));
    await go('/customers');
    await audit(page, 'customers', h1);
    await go(`/customers/${ids.customer}`);
    await audit(page, 'customer-profile', h1);
    // A seeded customer whose orders came in while the journeys were drafts: "Journeys and why".
    await go('/customers');
    await page
      .getByRole('link', { name: /Olivia/ })
      .first()
      .click();
    await audit(page, 'customer-profile-why-not', h1);
    await go(`/runs/${ids.run}`);
    await audit(page, 'run', h1);
    await go('/messages');
    await audit(page, 'messages', h1);
    await go(`/messages/${ids.message}`);
    await audit(page, 'message-detail', h1);
    await go('/settings');
    await audit(page, 'settings', h1);
    await go('/settings/members');
    await audit(page, 'members', h1);
    await page.getByLabel('Email to invite').fill(`mate-${tag}@example.com`);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const invite = (await page.getByTestId('invitation-link').textContent()) ?? '';
    await audit(page, 'members-invited');
    await go('/settings/store');
    await audit(page, 'store', h1);
    await go('/settings/audit');
    await audit(page, 'audit', h1);
    await go('/settings/workspace');
    await audit(page, 'workspace', h1);
    await go('/account');
    await audit(page, 'account', h1);

    await visitor.goto(`${e2e.baseUrl}${new URL(invite).pathname}`);
    await audit(visitor, 'invite', visitor.getByRole('heading').first());

    expect(found).toEqual({});
    // Some forty page states, each loaded, settled and audited.
  }, 180_000);

  it('adds a step, connects it and disconnects it with the keyboard alone', async () => {
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${ids.journey}`);
    await page.locator('.react-flow__node').first().waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return {
          id: el?.id ?? '',
          label: el?.getAttribute('aria-label') ?? '',
          node: el?.getAttribute('data-id'),
        };
      });

    // Search the palette and add the first match with Enter: focus lands on the new step.
    await page.getByLabel('Search steps').focus();
    await page.keyboard.type('text message');
    await page.keyboard.press('Enter');
    const sms = page.locator('.react-flow__node[data-id^="send_sms"]');
    await sms.waitFor();
    const smsId = (await sms.getAttribute('data-id')) ?? '';
    await expect.poll(async () => (await focused()).node).toBe(smsId);
    // Named by its own words, not just its kind.
    expect((await focused()).label).toMatch(/^Send SMS step: /);

    // Tab reaches its output; Enter opens the inspector's picker of the step it leads to.
    await page.keyboard.press('Tab');
    expect((await focused()).label).toBe('Connect Send SMS to the next step');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).id).toBe(`connect-${smsId}-out`);
    const picker = page.getByLabel('Then go to');
    expect(await picker.inputValue()).toBe('');

    // Type-ahead in the picker connects it to the exit…
    await page.keyboard.type('Exit');
    const edge = page.locator(`.react-flow__edge[data-id="${smsId}.out->done"]`);
    await edge.waitFor();
    expect(await picker.inputValue()).toBe('done');
    expect(await edge.getAttribute('aria-label')).toBe('From Send SMS to Exit');
    await shot(page, '61-keyboard-connected');

    // …and "Not connected" (the first option: Home) removes the edge again.
    await page.keyboard.press('Home');
    await edge.waitFor({ state: 'detached' });
    expect(await picker.inputValue()).toBe('');

    // An edge on the canvas is a tab stop too: Enter selects it and Delete removes it.
    await page.waitForTimeout(1100); // the picker's type-ahead forgets "Exit" after a second
    await page.keyboard.type('Exit');
    await edge.waitFor();
    await edge.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await edge.waitFor({ state: 'detached' });
    // Only the edge: both steps stay.
    expect(await sms.count()).toBe(1);
    expect(await page.locator('.react-flow__node[data-id="done"]').count()).toBe(1);
  });

  it('filters the step palette by label, description and keywords, and says when nothing matches', async () => {
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${ids.journey}`);
    const search = page.getByLabel('Search steps');
    const items = page.locator('.palette-item');
    await search.fill('coupon');
    await expect
      .poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))
      .toEqual(['create_discount']);
    await search.fill('wait');
    // The two wait steps, and the "Wait for engagement" shortcut (a wait_for_event preset).
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual([
      'delay',
      'wait_for_event',
      'preset:wait_for_engagement',
    ]);
    await search.fill('fax machine');
    await page.getByText('No step matches “fax machine”').waitFor();
    expect(await items.count()).toBe(0);
    // Enter with nothing matching adds nothing.
    const before = await page.locator('.react-flow__node').count();
    await search.press('Enter');
    expect(await page.locator('.react-flow__node').count()).toBe(before);
    await search.fill('');
    expect(await items.count()).toBeGreaterThan(10);
  });
});
