import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSmsText, type SmsScenario, scenarioEvent, supportJourney } from '../api/support-fixtures';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { apiCall, type E2E, shot, signedInPage, startE2E, until } from './harness';

// As a support agent: find a customer by email, open their run, and read why they did not get the
// SMS. One scenario per reason, seeded through POST /v1/events and run by the real engine.

let e2e: E2E;
let emulator: Emulator;
let page: Page;
const emails: Partial<Record<SmsScenario, string>> = {};

// The agent reads recorded outcomes: the deferral's end in the customer's zone, the provider's code.
const expected: Record<SmsScenario, RegExp> = {
  ...expectedSmsText,
  quiet: /SMS deferred by quiet hours until 08:00 Etc\/GMT([+-]\d+)?/,
  failed: /Failed: invalid phone number \(Twilio 21211: The 'To' number is not a valid phone number\)/,
};

const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('support', { temporal: true, channels: channelsConfig(emulator.url) });
  const journey = await call('POST', '/v1/journeys', { name: 'Review request', graph: supportJourney() });
  await call('POST', `/v1/journeys/${journey.id}/publish`, {});
  for (const s of ['quiet', 'unsubscribed', 'capped', 'failed'] as const) {
    const { email, event } = scenarioEvent(s);
    emails[s] = email;
    await call('POST', '/v1/events', event);
  }
  // The engine works in the background; wait until every run reached its SMS.
  await until(async () => {
    const runs = (await call('GET', `/v1/runs?journeyId=${journey.id}`)) as {
      status: string;
      endedAt: string | null;
    }[];
    return runs.length === 4 && runs.filter((r) => r.endedAt || r.status === 'waiting').length === 4;
  });
  page = await signedInPage(e2e);
}, 180_000);

afterAll(async () => {
  await e2e?.close();
  await emulator?.close();
});

describe('support agent: why did the customer not get the SMS?', () => {
  it.each(['quiet', 'unsubscribed', 'capped', 'failed'] as const)('%s', async (s) => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    await page.getByLabel('Search customers').fill(emails[s]!);
    const row = page.getByRole('row').filter({ hasText: emails[s]! });
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();
    expect(await page.getByText(emails[s]!).first().isVisible()).toBe(true);
    await page
      .getByRole('link', { name: /Open run of Review request/ })
      .first()
      .click();
    const timeline = page.getByRole('list', { name: 'Run timeline' });
    await timeline.waitFor();
    await page.getByText(expected[s]).first().waitFor({ timeout: 15_000 });
    const text = (await timeline.textContent()) ?? '';
    expect(text).toMatch(expected[s]);
    expect(text).toContain('Branch → Loyal: AOV $312.40 > $300');
    expect(text).toMatch(/Email sent/);
    if (s === 'quiet') {
      expect(await page.getByTestId('waiting').textContent()).toMatch(/deferred by quiet hours/);
      const attempts = page.getByTestId('step-review_sms').getByRole('list', { name: 'Attempts' });
      expect(await attempts.textContent()).toMatch(
        /^Deferred at \d\d:\d\d — quiet hours until 08:00 Etc\/GMT\S* \(quiet hours 21:00–08:00 local\)$/,
      );
      expect(await page.getByRole('button', { name: 'Cancel run' }).isVisible()).toBe(true);
    }
    if (s === 'failed') {
      expect(text).toMatch(/The 'To' number is not a valid phone number/);
      const attempts = page.getByTestId('step-review_sms').getByRole('list', { name: 'Attempts' });
      expect(await attempts.getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(
          /^Attempt 1 at \d\d:\d\d — Twilio 400, code 21211: The 'To' number is not a valid phone number; not retried \(permanent error\)$/,
        ),
      ]);
      expect(await page.getByRole('button', { name: 'Retry message' }).first().isVisible()).toBe(true);
    }
    expect(await page.getByRole('link', { name: 'Open in Temporal' }).getAttribute('href')).toMatch(
      /^http:\/\/localhost:8233\/namespaces\/default\/workflows\/hg%3A/,
    );
    await shot(page, `30-support-${s}`);
  });

  it('shows the email as the customer saw it, and cancels a run with a reason', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByLabel('Search customers').fill(emails.quiet!);
    await page.getByRole('row').filter({ hasText: emails.quiet! }).getByRole('link').click();
    await page
      .getByRole('link', { name: /Open run of Review request/ })
      .first()
      .click();
    await page.getByTestId('step-review_email').getByRole('button', { name: 'Show message' }).click();
    const preview = page.getByTestId('message-preview');
    expect(await preview.textContent()).toContain('How was your order, Quiet?');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByLabel('Reason (kept in the audit log)').fill('Customer asked by phone to stop');
    await page
      .getByRole('form', { name: 'Cancel this run' })
      .getByRole('button', { name: 'Cancel run' })
      .click();
    await page.getByText(/Run cancelled by owner@demo\.test/).waitFor({ timeout: 20_000 });
    expect(await page.getByText('Reason: Customer asked by phone to stop').isVisible()).toBe(true);
    await shot(page, '31-support-cancelled');
  });

  it('messages page filters by channel and status', async () => {
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    await page.getByLabel('Channel').selectOption('sms');
    await page.getByLabel('Status').selectOption('skipped');
    await page.getByText('skipped: unsubscribed').first().waitFor();
    const text = (await page.locator('table').textContent()) ?? '';
    expect(text).toContain('skipped: capped');
    expect(text).not.toMatch(/Email/);
    await shot(page, '32-support-messages');
  });
});
