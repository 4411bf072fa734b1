import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { channelsConfig } from '../engine/harness';
import { axeViolations } from './axe';
import { apiCall, type E2E, selectStep, shot, signedInPage, startE2E, until } from './harness';

// Engagement in the web app: the journey report (per message step, the same figures as the canvas),
// "Wait for engagement" with the message step picked by name, and the link tracking setting.

let e2e: E2E;
let emulator: Emulator;
const tag = randomBytes(3).toString('hex');
const call = (method: string, path: string, body?: unknown) => apiCall(e2e, method, path, body);
const who = ['clicker', 'opener', 'reader'] as const;
type Who = (typeof who)[number];
let journeyId = '';
const runs = {} as Record<Who, { runId: string; ask: string; mail: string }>;

const customer = (w: Who) => ({
  externalId: `cus_${w}_${tag}`,
  email: `${w}-${tag}@example.com`,
  phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
  firstName: w,
  consent: { email: 'subscribed', sms: 'subscribed' },
});
let seq = 0;
const event = (w: Who, type: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/v1/events', {
    id: `evt_report_${tag}_${++seq}`,
    type,
    occurredAt: new Date().toISOString(),
    customer: customer(w),
    ...extra,
  });
const about = (w: Who, step: 'ask' | 'mail') => ({
  messageId: runs[w][step],
  runId: runs[w].runId,
  stepId: step,
});

beforeAll(async () => {
  emulator = await startEmulator();
  e2e = await startE2E('journey_report', { temporal: true, channels: channelsConfig(emulator.url) });
  const graph = graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.delivered', filter: null },
      goal: { eventType: 'order.placed', filter: null, windowHours: 168, exitOnReach: false },
    })
    .node('ask', 'send_sms', { text: 'How was it? Reply 1-5', transactional: true }, 'Ask for rating')
    .node(
      'mail',
      'send_email',
      { subject: 'Review us', body: 'Tell us', transactional: true },
      'Review request',
    )
    .node('hold', 'wait_for_event', { eventType: 'never.happens', sameOrder: false }, 'Hold')
    .node('done', 'exit')
    .edge('trigger', 'ask')
    .edge('ask', 'mail')
    .edge('mail', 'hold')
    .edge('hold', 'done', 'happened')
    .edge('hold', 'done', 'timed_out')
    .build();
  const journey = (await call('POST', '/v1/journeys', { name: `Survey ${tag}`, graph })) as { id: string };
  journeyId = journey.id;
  await call('POST', `/v1/journeys/${journeyId}/publish`, {});
  for (const w of who) {
    await event(w, 'order.delivered', {
      order: { externalId: `ord_${w}_${tag}`, total: 10, currency: 'USD' },
    });
    // A loaded machine (browser tests share two cores) can take its time with the runs: 90 s each.
    runs[w] = await until(async () => {
      const { rows } = await e2e.db.pool.query(
        `select r.id, m.step_id, m.id as message_id from journey_runs r
           join customers c on c.id = r.customer_id
           join messages m on m.run_id = r.id and m.sent_at is not null
          where r.journey_id = $1 and c.external_id = $2`,
        [journeyId, customer(w).externalId],
      );
      const ask = rows.find((r) => r.step_id === 'ask');
      const mail = rows.find((r) => r.step_id === 'mail');
      return ask && mail ? { runId: ask.id, ask: ask.message_id, mail: mail.message_id } : null;
    }, 90_000);
  }
  // The clicker clicks the text's link and answers it; the opener opens the email; the reader does nothing.
  await event('clicker', 'message.clicked', {
    properties: { ...about('clicker', 'ask'), url: 'https://x.example' },
  });
  await event('clicker', 'sms.replied', { properties: { ...about('clicker', 'ask'), body: '5', number: 5 } });
  await event('opener', 'message.opened', { properties: about('opener', 'mail') });
  // Then each orders again within the goal window: the clicker's order goes to the text, the others' to
  // the email (opened, else the last message received).
  const totals: Record<Who, number> = { clicker: 100, opener: 200, reader: 300 };
  for (const w of who)
    await event(w, 'order.placed', {
      order: { externalId: `ord2_${w}_${tag}`, total: totals[w], currency: 'USD' },
    });
  await until(async () => {
    const a = (await call('GET', `/v1/journeys/${journeyId}/analytics`)) as { conversions: number };
    return a.conversions === 3;
  }, 90_000);
}, 300_000);

afterAll(async () => {
  await e2e?.close();
  await emulator?.close();
});

type NodeFigures = Record<string, number> & { nodeId: string };

/** The report table's cells of a step, by column (counts only, rates dropped). */
/** Creates a draft of `graph`, opens it and adds "Wait for engagement" from the palette search. */
async function withEngagementWait(name: string, graph: unknown) {
  const draft = (await call('POST', '/v1/journeys', { name, graph })) as { id: string };
  const page = await signedInPage(e2e);
  await page.goto(`${e2e.baseUrl}/journeys/${draft.id}`);
  await page.locator('.react-flow__node').first().waitFor();
  await page.getByLabel('Search steps').fill('engagement');
  await page.getByLabel('Search steps').press('Enter');
  return { draft, page, wait: page.locator('.react-flow__node[data-id^="wait_for_event"]') };
}

async function reportRow(page: Page, step: string): Promise<Record<string, string>> {
  return page
    .getByTestId('journey-report')
    .locator(`tr[data-step="${step}"] td[data-col]`)
    .evaluateAll((tds) =>
      Object.fromEntries(
        tds.map((td) => [td.getAttribute('data-col'), td.firstChild?.textContent?.trim() ?? '']),
      ),
    );
}

describe('journey report', () => {
  it('lists each message step with its figures, as the canvas and the analytics API count them', async () => {
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${journeyId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('checkbox', { name: 'Analytics' }).check();
    const toggle = page.getByRole('button', { name: 'Report' });
    await toggle.click();
    expect(await page.getByRole('button', { name: 'Hide report' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    const report = page.getByTestId('journey-report');
    await report.waitFor();
    // Message steps only, by name and channel.
    const rows = await report
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => c.textContent).slice(0, 2)),
      );
    expect(rows).toEqual([
      ['Ask for rating', 'SMS'],
      ['Review request', 'Email'],
    ]);

    const api = (await call('GET', `/v1/journeys/${journeyId}/analytics`)) as { nodes: NodeFigures[] };
    const figures = (id: string) => api.nodes.find((n) => n.nodeId === id)!;
    const ask = await reportRow(page, 'ask');
    const mail = await reportRow(page, 'mail');
    // What was seeded: three sent of each; a click and a reply on the text; an open of the email;
    // conversions by the clicked > opened > received rule.
    expect(ask).toMatchObject({
      sent: '3',
      clicked: '1',
      replied: '1',
      conversions: '1',
      revenue: '$100.00',
    });
    expect(mail).toMatchObject({
      sent: '3',
      opened: '1',
      clicked: '0',
      conversions: '2',
      revenue: '$500.00',
    });
    // Texts report no opens and emails no replies: a dash, not a zero.
    expect(await report.locator('tr[data-step="ask"] td').nth(3).textContent()).toBe('—');
    // Every count is the analytics API's.
    for (const [id, row] of [
      ['ask', ask],
      ['mail', mail],
    ] as const) {
      const n = figures(id);
      for (const key of ['sent', 'delivered', 'clicked', 'conversions', 'unsubscribed'])
        expect(row[key], `${id} ${key}`).toBe(String(n[key]));
    }
    // Rates where they make sense: a third of the texts sent converted.
    expect(await report.locator('tr[data-step="ask"] td[data-col="conversions"]').textContent()).toBe(
      '1 33%',
    );
    const total = await reportRow(page, 'total');
    expect(total).toMatchObject({ sent: '6', conversions: '3', revenue: '$600.00' });

    // The canvas shows the same figures on the steps.
    const badge = (id: string, label: string) =>
      page.getByTestId(`analytics-${id}`).locator('.jn-metrics div', { hasText: label }).locator('dd');
    expect(await badge('ask', 'Sent').textContent()).toBe('3');
    expect(await badge('ask', 'Conversions').textContent()).toBe('1');
    expect(await badge('mail', 'Revenue').textContent()).toBe('$500.00');
    await shot(page, '62-journey-report');
  });

  it('adds "Wait for engagement" from the palette and picks the message step by name', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node('ask', 'send_sms', { text: 'Rate us 1-5', transactional: true }, 'Ask for rating')
      .node('done', 'exit')
      .edge('trigger', 'ask')
      .edge('ask', 'done')
      .build();
    const { draft, page, wait } = await withEngagementWait(`Engagement ${tag}`, graph);
    await wait.waitFor();
    const waitId = (await wait.getAttribute('data-id')) ?? '';
    await selectStep(wait);
    const picker = page.locator(`#f-${waitId}-messageStep`);
    expect(await picker.locator('option').allTextContents()).toEqual([
      'Choose a message step',
      'Ask for rating',
    ]);
    await picker.selectOption({ label: 'Ask for rating' });
    expect(await picker.inputValue()).toBe('ask');
    await page.getByLabel('Happened: go to').selectOption('done');
    await page.getByLabel('Timed out: go to').selectOption('done');
    // The text leads to the wait.
    // The wait landed on top of the text: select the text from the keyboard.
    const ask = page.locator('.react-flow__node[data-id="ask"]');
    await ask.focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Then go to').selectOption(waitId);
    await expect.poll(() => page.getByTestId('problems-button').textContent()).toMatch(/No problems|warning/);

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Live · v1').waitFor();
    const live = (await call('GET', `/v1/journeys/${draft.id}/versions/1`)) as {
      graph: { nodes: { id: string; data: { config: Record<string, unknown> } }[] };
    };
    expect(live.graph.nodes.find((n) => n.id === waitId)?.data.config).toMatchObject({
      eventType: 'message.clicked',
      messageStep: 'ask',
    });

    // The text removed from the draft: the wait says its step is gone, and the choice stays visible.
    await ask.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await page.locator('.react-flow__node[data-id="ask"]').waitFor({ state: 'detached' });
    await selectStep(wait);
    await page.getByText('"ask" is not a step of this journey that sends an email or SMS').waitFor();
    expect(await picker.locator('option:checked').textContent()).toBe('ask (not a message step)');
    expect(await picker.getAttribute('aria-invalid')).toBe('true');
    await shot(page, '63-wait-for-engagement-step-gone');
  });

  it("branches on a message step's reply number, the step picked by name", async () => {
    const rule = { all: [{ field: 'customer.email', op: 'exists' }] };
    const graph = graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node('ask', 'send_sms', { text: 'Rate us 1-5', transactional: true }, 'Ask for rating')
      .node('split', 'branch', {
        cases: [{ id: 'happy', label: 'Happy', when: { kind: 'conditions', rule } }],
      })
      .node('done', 'exit')
      .edge('trigger', 'ask')
      .edge('ask', 'split')
      .edge('split', 'done', 'happy')
      .edge('split', 'done', 'else')
      .build();
    const draft = (await call('POST', '/v1/journeys', { name: `Happy ${tag}`, graph })) as { id: string };
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/journeys/${draft.id}`);
    await selectStep(page.locator('.react-flow__node[data-id="split"]'));
    await page.getByLabel('Condition 1 type').selectOption({ label: 'Message of a step' });
    const step = page.getByLabel('Condition 1 message step');
    expect(await step.locator('option').allTextContents()).toEqual([
      'Choose a message step',
      'Ask for rating',
    ]);
    await page.getByText('Choose a message step', { exact: true }).and(page.locator('p')).waitFor();
    await step.selectOption({ label: 'Ask for rating' });
    await page.getByLabel('Condition 1 field').selectOption({ label: 'reply number' });
    await page.getByLabel('Condition 1 operator').selectOption({ label: 'is at least' });
    await page.getByLabel('Condition 1 value').fill('4');
    await expect.poll(() => page.getByTestId('problems-button').textContent()).toMatch(/No problems|warning/);
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toBe('All changes saved');
    const saved = (await call('GET', `/v1/journeys/${draft.id}`)) as {
      draftGraph: { nodes: { id: string; data: { config: { cases: { when: unknown }[] } } }[] };
    };
    expect(saved.draftGraph.nodes.find((n) => n.id === 'split')?.data.config.cases[0]?.when).toEqual({
      kind: 'conditions',
      rule: { all: [{ field: 'messages.ask.replyNumber', op: 'gte', value: 4 }] },
    });
  });

  it('says when the journey has no message step to wait for', async () => {
    const graph = graphBuilder().node('trigger', 'trigger', {}, 'Order placed').build();
    const { page, wait } = await withEngagementWait(`No messages ${tag}`, graph);
    await selectStep(wait);
    const waitId = (await wait.getAttribute('data-id')) ?? '';
    const picker = page.locator(`#f-${waitId}-messageStep`);
    expect(await picker.locator('option').allTextContents()).toEqual(['No message steps yet']);
    expect(await page.getByTestId('message-step-empty').textContent()).toMatch(
      /no step that sends an email or SMS yet/,
    );
    // The empty state is announced with the picker and passes the accessibility check.
    expect(await picker.getAttribute('aria-describedby')).toContain(`f-${waitId}-messageStep-none`);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('turns link tracking on and off per channel in Settings', async () => {
    const before = (await call('GET', '/v1/workspace/settings')) as {
      trackLinks: { sms: boolean; email: boolean };
    };
    expect(before.trackLinks).toEqual({ sms: true, email: false });
    const page = await signedInPage(e2e);
    await page.goto(`${e2e.baseUrl}/settings`);
    const card = page.getByRole('region', { name: 'Link tracking' });
    await card.getByText(/counts the click/).waitFor();
    await card.getByLabel('Track links in emails').check();
    await card.getByLabel('Track links in text messages').uncheck();
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Saved').waitFor();
    const after = (await call('GET', '/v1/workspace/settings')) as {
      trackLinks: { sms: boolean; email: boolean };
    };
    expect(after.trackLinks).toEqual({ sms: false, email: true });
    // What was saved is what the page shows after a reload.
    await page.reload();
    expect(await card.getByLabel('Track links in emails').isChecked()).toBe(true);
    expect(await card.getByLabel('Track links in text messages').isChecked()).toBe(false);
    await shot(page, '64-link-tracking');
  });
});
