import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { apiCall, type E2E, shot, signedInPage, startE2E, until } from './harness';

// With Analytics on, each message step shows its sent / conversions / revenue in readable type, the
// conversion credited to the message the converting run received last (the tooltip says so), and the
// trigger's "entered" equals the journey's entries.

let e2e: E2E;
let emulator: Emulator;
let journeyId = '';
const tag = randomBytes(3).toString('hex');
const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);

const order = (n: number, total: number) => ({
  id: `evt_canvas_analytics_${tag}_${n}`,
  type: 'order.placed',
  occurredAt: new Date().toISOString(),
  customer: { externalId: `cus_${tag}`, email: `ana-${tag}@example.com`, firstName: 'Ana' },
  order: { externalId: `ord_${tag}_${n}`, total, currency: 'USD', items: [] },
});

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('analytics_canvas', { temporal: true, channels: channelsConfig(emulator.url) });
  const goal = { eventType: 'order.placed', filter: null, windowHours: 168, exitOnReach: false };
  const graph = graphBuilder()
    .node('trigger', 'trigger', { goal }, 'Order placed')
    .node(
      'thanks',
      'send_email',
      { subject: 'Thanks, {{ customer.firstName }}', body: 'Thank you.' },
      'Thanks',
    )
    .node('wait', 'delay', { mode: 'duration', amount: 10, unit: 'days' }, 'Wait 10 days')
    .node('done', 'exit', {})
    .edge('trigger', 'thanks')
    .edge('thanks', 'wait')
    .edge('wait', 'done')
    .build();
  const journey = (await call('POST', '/v1/journeys', { name: `Thanks ${tag}`, graph })) as { id: string };
  journeyId = journey.id;
  await call('POST', `/v1/journeys/${journeyId}/publish`, {});
  await call('POST', '/v1/events', order(1, 40));
  await until(async () => {
    const runs = (await call('GET', `/v1/runs?journeyId=${journeyId}`)) as { status: string }[];
    return runs[0]?.status === 'waiting';
  });
  // The second order converts the first run (which received "Thanks") and starts a run of its own,
  // whose "Thanks" the email frequency cap skips.
  await call('POST', '/v1/events', order(2, 125.5));
  await until(async () => {
    const a = (await call('GET', `/v1/journeys/${journeyId}/analytics`)) as {
      conversions: number;
      nodes: { nodeId: string; entered: number }[];
    };
    return a.conversions === 1 && a.nodes.find((n) => n.nodeId === 'thanks')?.entered === 2;
  });
}, 120_000);

afterAll(async () => {
  await e2e?.close();
  await emulator?.close();
});

describe('analytics on the canvas', () => {
  it("shows a message step's sent, conversions and revenue, and the trigger's entries", async () => {
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${journeyId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('checkbox', { name: 'Analytics' }).check();

    const thanks = page.getByTestId('analytics-thanks');
    const figure = (label: string) => thanks.locator('.jn-metrics div', { hasText: label }).locator('dd');
    await expect.poll(() => figure('Sent').textContent()).toBe('1');
    expect(await figure('Conversions').textContent()).toBe('1');
    expect(await figure('Revenue').textContent()).toBe('$125.50');
    expect(await thanks.locator('.jn-metrics').getAttribute('title')).toMatch(
      /last message the customer clicked before converting, else the last one they opened, else the last one they received/,
    );
    // Readable at 100 % zoom: the figures are set larger than the 11 px labels they once were.
    const size = await figure('Sent').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(16);

    const entries = await page
      .getByTestId('journey-analytics')
      .locator('div', { hasText: 'Entries' })
      .locator('dd');
    expect(await entries.textContent()).toBe('2');
    const trigger = page.getByTestId('analytics-trigger').locator('.jn-metrics div', { hasText: 'Entered' });
    expect(await trigger.locator('dd').textContent()).toBe('2');
    await shot(page, '60-canvas-analytics');
  });
});
