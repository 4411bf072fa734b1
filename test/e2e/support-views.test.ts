import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { apiCall, DEMO, type E2E, shot, startE2E, until } from './harness';

// As a support agent whose browser is in Tokyo, helping customers in Paris: customer rows open
// profiles (by mouse anywhere on the row, by keyboard through the row's link), customers without a
// name read as their email, phone or shop id; the run page says every time in the customer's zone and
// names it; tables say they are in the agent's own zone; the message log shows recipients, marks a
// test send as a test of no customer, and opens any message in a detail view.

let e2e: E2E;
let emulator: Emulator;
let page: Page;
const tag = randomBytes(3).toString('hex');
const AGENT_ZONE = 'Asia/Tokyo';
const PARIS = 'Europe/Paris';
const TESTER = `marketer-${tag}@shop.test`;
const named = { externalId: `cus_named_${tag}`, email: `ada-${tag}@example.com`, firstName: 'Ada' };
const nameless = [
  { externalId: `cus_mail_${tag}`, email: `nameless-${tag}@example.com` },
  { externalId: `cus_phone_${tag}`, phone: `+1555${String(Date.now()).slice(-7)}` },
  { externalId: `cus_idonly_${tag}` },
];

const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);

const publish = async (name: string, graph: unknown) => {
  const journey = await call('POST', '/v1/journeys', { name, graph });
  await call('POST', `/v1/journeys/${journey.id}/publish`, {});
  return journey as { id: string };
};

const order = (customer: Record<string, string | undefined>, n: number) => ({
  id: `evt_views_${tag}_${n}`,
  type: 'order.placed',
  occurredAt: new Date().toISOString(),
  customer: { ...customer, timezone: PARIS, consent: { email: 'subscribed', sms: 'subscribed' } },
  order: { externalId: `ord_${tag}_${n}`, total: 50, currency: 'EUR', items: [] },
});

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('support_views', { temporal: true, channels: channelsConfig(emulator.url) });
  const review = await publish(
    'Review request',
    graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node(
        'review_email',
        'send_email',
        { subject: 'How was your order, {{ customer.firstName }}?', body: 'Tell us what you think.' },
        'Review email',
      )
      .node('reviewed', 'exit', { label: 'Reviewed' })
      .edge('trigger', 'review_email')
      .edge('review_email', 'reviewed')
      .build(),
  );
  const wait = await publish(
    'Long wait',
    graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node('wait', 'delay', { mode: 'duration', amount: 10, unit: 'days' }, 'Wait 10 days')
      .node('done', 'exit', {})
      .edge('trigger', 'wait')
      .edge('wait', 'done')
      .build(),
  );
  await call('POST', '/v1/events', order(named, 0));
  // The engine works in the background: wait for Ada's two runs to settle.
  await until(async () => {
    const ended = (await call('GET', `/v1/runs?journeyId=${review.id}`)) as { endedAt: string | null }[];
    const waiting = (await call('GET', `/v1/runs?journeyId=${wait.id}`)) as { status: string }[];
    return ended[0]?.endedAt && waiting[0]?.status === 'waiting';
  });
  for (const [i, c] of nameless.entries()) await call('POST', '/v1/events', order(c, i + 1));
  const [ada] = (await call('GET', `/v1/customers?q=${encodeURIComponent(named.email)}`)) as { id: string }[];
  // A marketer's test send rendered with Ada's data, to the marketer.
  await call('POST', '/v1/test-send', {
    customerId: ada!.id,
    content: { channel: 'email', subject: 'Hi {{ customer.firstName }}', body: 'Just a test.' },
    to: TESTER,
  });
  const context = await e2e.browser.newContext({
    viewport: { width: 1440, height: 900 },
    timezoneId: AGENT_ZONE,
  });
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  await page.goto(e2e.baseUrl);
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor({ timeout: 15_000 });
}, 180_000);

afterAll(async () => {
  await e2e?.close();
  await emulator?.close();
});

const customers = async (q: string) => {
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
  await page.getByLabel('Search customers').fill(q);
  const row = page.getByRole('row').filter({ hasText: q });
  await row.first().waitFor();
  return row.first();
};

describe('customer table', () => {
  it('a customer without a name reads as their email, phone or shop id, never a bare id', async () => {
    // Every customer of this (fresh) workspace, unfiltered.
    await customers('');
    await page.getByRole('row').filter({ hasText: nameless[2]!.externalId }).waitFor();
    const links = await page.locator('tbody tr td:first-child a').allTextContents();
    expect(links).toEqual(
      expect.arrayContaining(['Ada', nameless[0]!.email, nameless[1]!.phone, nameless[2]!.externalId]),
    );
    expect(links.join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('a click anywhere on the row opens the profile', async () => {
    const row = await customers(nameless[1]!.phone!);
    await row.getByRole('cell').nth(3).click(); // the orders count, not the link
    await page.getByRole('heading', { name: nameless[1]!.phone! }).waitFor();
    expect(page.url()).toMatch(/\/customers\/[0-9a-f-]{36}$/);
  });

  it('by keyboard: Tab from the search box reaches the row, Enter opens the profile', async () => {
    await customers(named.email);
    await page.getByLabel('Search customers').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ada');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ada', exact: true }).waitFor();
    // The profile's tables are in the agent's zone, and say so.
    const started = page.getByRole('columnheader', { name: /Started/ });
    expect(await started.textContent()).toBe(`Started (your time, ${AGENT_ZONE})`);
    await shot(page, '33-support-profile-zones');
  });
});

describe('run page: every time in the customer zone, named', () => {
  it('the Now line and the timeline give the same date, with the zone; the entry comes first', async () => {
    await customers(named.email);
    await page.getByRole('row').filter({ hasText: named.email }).getByRole('link').click();
    await page
      .getByRole('link', { name: /Open run of Long wait/ })
      .first()
      .click();
    const now = (await page.getByTestId('waiting').textContent()) ?? '';
    const when = /until (\w{3}, \w{3} \d{1,2}, \d\d:\d\d \(Europe\/Paris\))$/.exec(now)?.[1];
    expect(when, now).toBeTruthy();
    expect(await page.getByTestId('step-wait').textContent()).toContain(`Waiting until ${when}`);
    expect(await page.getByTestId('timeline-zone').textContent()).toBe(
      `Times are in the customer's time zone (${PARIS}).`,
    );
    const entries = page.getByRole('list', { name: 'Run timeline' }).locator(':scope > li');
    const first = entries.first();
    expect(await first.getAttribute('data-testid')).toBe('step-entry');
    expect(await first.textContent()).toMatch(
      new RegExp(
        `Entered because order\\.placed evt_views_${tag}_0 at .+ \\(Europe/Paris\\), entry rule once per order`,
      ),
    );
    for (const t of await page.locator('.timeline time').allTextContents())
      expect(t).toMatch(/\(Europe\/Paris\)$/);
    expect(await page.locator('.page-header p').first().textContent()).toMatch(
      /started \w{3}, \w{3} \d{1,2}, \d\d:\d\d \(Europe\/Paris\)/,
    );
    await shot(page, '34-support-run-zones');
  });

  it("a run that ended at an exit says the exit's label", async () => {
    await page.goBack();
    await page
      .getByRole('link', { name: /Open run of Review request/ })
      .first()
      .click();
    await page.getByTestId('step-reviewed').getByText('Ended: Reviewed').waitFor();
    expect(await page.getByText('Reached the exit').count()).toBe(0);
  });
});

describe('message log', () => {
  const log = async () => {
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('heading', { name: 'Messages', exact: true }).waitFor();
    await page.getByRole('row').filter({ hasText: TESTER }).waitFor();
  };

  it("shows each message's recipient, marks the test send and keeps it out of the customer's history", async () => {
    await log();
    expect(await page.getByRole('columnheader', { name: /Created/ }).textContent()).toBe(
      `Created (your time, ${AGENT_ZONE})`,
    );
    const test = page.getByRole('row').filter({ hasText: TESTER });
    expect(await test.getByText('Test', { exact: true }).isVisible()).toBe(true);
    expect(await test.getByRole('cell').nth(3).textContent()).toBe('— (test)');
    const review = page.getByRole('row').filter({ hasText: 'How was your order, Ada?' });
    expect(await review.getByRole('cell').nth(2).textContent()).toBe(named.email);
    // Ada's history: the review email, not the marketer's test.
    await review.getByRole('link', { name: 'Ada', exact: true }).click();
    await page.getByRole('link', { name: 'All messages to this customer' }).click();
    await page.getByRole('row').filter({ hasText: 'How was your order, Ada?' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: TESTER }).count()).toBe(0);
    await shot(page, '35-support-messages-recipients');
  });

  it('opens a test send in the detail view: recipient, no customer, status history, body', async () => {
    await log();
    await page.getByRole('row').filter({ hasText: TESTER }).getByRole('cell').first().click();
    await page.getByRole('heading', { name: /\[Test\] Hi Ada/ }).waitFor();
    const sent = page.getByRole('region', { name: 'Sent', exact: true });
    expect(await sent.textContent()).toContain(`Recipient${TESTER}`);
    expect(await sent.textContent()).toContain('Customernone (test send)');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Test$/);
    const history = await page.getByTestId('status-history').getByRole('listitem').allTextContents();
    expect(history[0]).toMatch(new RegExp(`^reserved · .+ \\(${AGENT_ZONE}\\)$`));
    expect(history.some((h) => h.startsWith('sent · '))).toBe(true);
    const body = page.frameLocator('iframe[title="Email: [Test] Hi Ada"]');
    await body.getByText('Just a test.').waitFor();
    await shot(page, '36-support-message-test');
  });

  it("by keyboard, opens a journey's message with its run step, and follows it to the run", async () => {
    await log();
    const link = page.getByRole('link', { name: 'How was your order, Ada?' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'How was your order, Ada?' }).waitFor();
    const by = (await page.getByRole('region', { name: 'Sent by', exact: true }).textContent()) ?? '';
    expect(by).toContain('JourneyReview request');
    expect(by).toContain('StepReview email');
    expect(await page.getByRole('region', { name: 'Sent', exact: true }).textContent()).toContain(
      `Recipient${named.email}`,
    );
    await page.getByRole('link', { name: 'Open run' }).click();
    await page.getByRole('list', { name: 'Run timeline' }).waitFor();
    await page.getByTestId('step-reviewed').getByText('Ended: Reviewed').waitFor();
  });
});
