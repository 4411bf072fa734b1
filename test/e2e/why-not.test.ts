import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { apiCall, type E2E, shot, signedInPage, startE2E, until } from './harness';

// "Why not?" as a support agent reads it: Kenji of the demo ordered while every journey was still a
// draft, so his profile says which journeys he did not enter and why, instead of "Not in any journey
// yet"; an unsubscribed customer's transactional confirmation says why it was sent anyway.

let e2e: E2E;
let emulator: Emulator;
let page: Page;
const tag = randomBytes(3).toString('hex');

const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('why_not', { temporal: true, channels: channelsConfig(emulator.url) });
  page = await signedInPage(e2e);
}, 120_000);

afterAll(async () => {
  await page?.close();
  await e2e?.close();
  await emulator?.close();
});

describe('the profile says why not', () => {
  it("Kenji's order came in while the journeys were drafts: each one says so", async () => {
    const [kenji] = (await call('GET', '/v1/customers?q=Kenji')) as { id: string }[];
    expect(kenji).toBeTruthy();
    // The demo's events are routed after start: wait until routing has decided about Kenji.
    const decisions = await until(async () => {
      const p = (await call('GET', `/v1/customers/${kenji!.id}`)) as { decisions: { text: string }[] };
      return p.decisions.length > 0 && p.decisions;
    });
    await page.goto(`${e2e.baseUrl}/customers/${kenji!.id}`);
    const section = page.getByRole('region', { name: 'Journeys and why' });
    await section.waitFor();
    const items = section.getByTestId('why-not').locator(':scope > li');
    expect(await items.count()).toBe(decisions.length);
    const first = (await items.first().textContent()) ?? '';
    expect(first).toMatch(
      /^Not live\s*Did not enter "[^"]+": the journey was a draft \(not published\) when order\.placed \S+ arrived at \w{3}, \w{3} \d+, \d\d:\d\d \(Asia\/Tokyo\)$/,
    );
    const runs = page.getByRole('region', { name: 'Journeys', exact: true });
    await expect(runs.textContent()).resolves.toContain(
      'Not in any journey: "Journeys and why" below says why not.',
    );
    expect(await page.textContent('body')).not.toContain('Not in any journey yet');
    await section.scrollIntoViewIfNeeded();
    await shot(page, '37-support-why-not');
  }, 90_000);

  it("an unsubscribed customer's transactional mail says opt-out does not apply", async () => {
    const journey = await call('POST', '/v1/journeys', {
      name: `Order confirmation ${tag}`,
      graph: graphBuilder()
        .node('trigger', 'trigger', {}, 'Order placed')
        .node(
          'confirm',
          'send_email',
          { subject: 'Order confirmed', body: 'Thanks for your order.', transactional: true },
          'Confirmation email',
        )
        .node('done', 'exit', { label: 'Confirmed' })
        .edge('trigger', 'confirm')
        .edge('confirm', 'done')
        .build(),
    });
    await call('POST', `/v1/journeys/${journey.id}/publish`, {});
    const email = `optout-${tag}@example.com`;
    await call('POST', '/v1/events', {
      id: `evt_optout_${tag}`,
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      customer: { externalId: `cus_optout_${tag}`, email, consent: { email: 'unsubscribed' } },
      order: { externalId: `ord_optout_${tag}`, total: 30, currency: 'USD', items: [] },
    });
    const message = await until(async () => {
      const list = (await call('GET', '/v1/messages?status=sent')) as { id: string; toAddress: string }[];
      return list.find((m) => m.toAddress === email);
    });
    await page.goto(`${e2e.baseUrl}/messages/${message.id}`);
    await expect(page.getByTestId('consent-note').textContent()).resolves.toBe(
      'Sent although unsubscribed from marketing email: opt-out does not apply to transactional messages',
    );
  }, 90_000);
});
