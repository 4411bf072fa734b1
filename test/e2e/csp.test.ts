import { signUnsubscribeToken } from '@hourglass/channels';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { DEMO, type E2E, shot, startE2E } from './harness';

// The app runs under its Content-Security-Policy with no violation: sign in, the journeys list, a
// journey on the canvas, a send-email step with its server-rendered preview (a sandboxed srcdoc frame,
// which inherits the policy), the settings page, the API docs page and the unsubscribe page. Violations are caught twice:
// a `securitypolicyviolation` listener installed before any page script, and Chromium's console, which
// also reports violations inside frames.

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

const channels = testConfig();
let e2e: E2E;
let page: Page;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  e2e = await startE2E('csp', { temporal: false, channels });
  page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      true,
    );
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 120_000);
afterAll(async () => e2e?.close());

function expectSecurityHeaders(res: Response | null, what: string) {
  const headers = res?.headers() ?? {};
  expect(headers['content-security-policy'], what).toContain("script-src 'self'");
  expect(headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
}

const violations = () => page.evaluate(() => window.__cspViolations);

// Before signing in the app asks /v1/me and gets the expected 401, which Chromium logs as a failed load.
const unexpectedConsoleErrors = () =>
  consoleErrors.filter((m) => !/Failed to load resource: the server responded with a status of 401/.test(m));

describe('content security policy', () => {
  it('the app runs under it without a violation', async () => {
    const index = await page.goto(e2e.baseUrl);
    expectSecurityHeaders(index, 'web index');
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor({ timeout: 15_000 });

    // A bootstrapped journey on the canvas.
    await page.locator('a[href^="/journeys/"]').first().click();
    await page.locator('.react-flow__node').first().waitFor();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(0);
    await shot(page, 'csp-canvas');

    // A new email step and its preview for a real customer, rendered in the sandboxed frame.
    await page.goto(`${e2e.baseUrl}/journeys`);
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Add step: Send email' }).click();
    await page.locator('.react-flow__node[data-id^="send_email"]').waitFor();
    await page.getByLabel('Subject', { exact: true }).fill('Hello {{ customer.firstName }}');
    await page.getByLabel('Body (Liquid)').fill('Thanks for your order, {{ customer.firstName }}.');
    await page.getByLabel('Search customers to preview for').fill('olivia');
    await page.getByLabel('Preview customer').selectOption({ label: 'Olivia Brown · olivia@example.com' });
    const frame = page.frameLocator('iframe[title="Email preview"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 10_000 }).toContain('Olivia');
    await shot(page, 'csp-preview');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'Sending rules' }).waitFor();

    const docs = await page.goto(`${e2e.baseUrl}/docs`);
    expectSecurityHeaders(docs, 'docs');
    await page.getByRole('heading', { name: 'Hourglass API' }).waitFor();
    expect(await violations()).toEqual([]);

    // The unsubscribe page: inline styles and a form that posts back to the same origin.
    const { rows } = await e2e.db.pool.query<{ id: string }>('select id from workspaces limit 1');
    const token = signUnsubscribeToken(channels.secretKey, {
      workspaceId: rows[0]?.id ?? '',
      channel: 'email',
      address: 'olivia@example.com',
    });
    const unsubscribe = await page.goto(`${e2e.baseUrl}/unsubscribe?token=${token}`);
    expectSecurityHeaders(unsubscribe, 'unsubscribe page');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You have been unsubscribed.').waitFor();

    // Violation events are queued tasks: give stragglers a moment, then look at everything seen.
    await page.waitForTimeout(500);
    expect(await violations()).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('is enforced, and a violation would be seen', async () => {
    await page.goto(`${e2e.baseUrl}/docs`);
    // An injected inline script is refused and reported: the listener above is not vacuous.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      await new Promise((r) => setTimeout(r, 200));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(violations).toEqual([expect.stringMatching(/^script-src/)]);
    expect(consoleErrors.some((m) => /Content Security Policy/.test(m))).toBe(true);
  });
});
