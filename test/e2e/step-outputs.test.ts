import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptWorkspaceSecret } from '@hourglass/channels';
import { createWorkspaceSecret } from '@hourglass/db';
import { graphBuilder } from '@hourglass/nodes';
import { parseAllowList } from '@hourglass/outbound';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { DEMO, type E2E, selectStep, shot, signedInPage, startE2E } from './harness';

// Step outputs in the web app: step names in the inspector, `steps.<name>.<field>` offered by the
// template autocomplete and the rule editor where (and only where) the output reaches, the webhook's
// response mapping edited in its form, and a run's timeline showing what a step produced, from a
// webhook step that really ran against a local receiver.

let e2e: E2E;
let page: Page;
let receiver: Server;
let url: string;
const NOTES = `Loyal since 2019. ${'Prefers email over SMS. '.repeat(8)}`.trim();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { tier: 'gold', notes: NOTES } }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}/crm`;
  const channels = testConfig(undefined, { outbound: { allow: parseAllowList(`127.0.0.1:${port}`) } });
  e2e = await startE2E('outputs', { temporal: true, channels });
  const { rows } = await e2e.db.pool.query<{ id: string }>('select id from workspaces limit 1');
  await createWorkspaceSecret(e2e.db.db, rows[0]!.id, {
    name: 'crm',
    ciphertext: encryptWorkspaceSecret(channels.secretKey, `whsec_${randomBytes(24).toString('base64')}`),
  });
  page = await signedInPage(e2e);
}, 180_000);
afterAll(async () => {
  await e2e?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${e2e.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEMO.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const crm = {
  url: '',
  secretName: 'crm',
  onFailure: 'exit',
  responseMapping: [
    { name: 'tier', path: 'data.tier' },
    { name: 'notes', path: 'data.notes' },
  ],
};
const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

describe('step outputs in the web app', () => {
  it('names dropped steps apart and shows a clash on the Step name field', async () => {
    await page.getByRole('button', { name: 'New journey' }).click();
    await page.locator('.react-flow__node').first().waitFor();
    const stepName = page.getByLabel('Step name', { exact: true });
    for (let i = 0; i < 2; i++) {
      await page.locator('.palette-item[data-kind="webhook"]').focus();
      await page.keyboard.press('Enter');
    }
    const hooks = page.locator('.react-flow__node[data-id^="webhook"]');
    await expect.poll(() => hooks.count()).toBe(2);
    // The second one is selected: it got its own name.
    expect(await stepName.inputValue()).toBe('webhook_2');
    await page.getByRole('button', { name: 'Tidy up layout' }).click();
    await selectStep(hooks.nth(0));
    expect(await stepName.inputValue()).toBe('webhook');
    // The hint names what later steps read.
    expect(await page.getByTestId('step-output-hint').textContent()).toContain('steps.webhook.httpStatus');

    // Renaming the second to the first's name: the compile problem shows on the field.
    await selectStep(hooks.nth(1));
    await stepName.fill('webhook');
    const field = page.locator('.field.step-name');
    await expect.poll(() => field.locator('.field-error').textContent()).toMatch(/already named "webhook"/);
    await stepName.fill('crm');
    await expect.poll(() => field.locator('.field-error').count()).toBe(0);

    // The response mapping is a list of rows: add two, fill them, remove one.
    const mapping = page.getByRole('group', { name: /Fields to keep from the JSON response/ });
    await mapping.getByRole('button', { name: 'Add', exact: true }).click();
    await mapping.getByRole('button', { name: 'Add', exact: true }).click();
    await mapping.getByLabel('Output field').nth(0).fill('tier');
    await mapping
      .getByLabel(/Path in the JSON response/)
      .nth(0)
      .fill('data.tier');
    await mapping.getByLabel('Output field').nth(1).fill('points');
    await mapping.getByRole('button', { name: /Remove .* #2/ }).click();
    await expect.poll(() => mapping.getByLabel('Output field').count()).toBe(1);
    await expect.poll(() => page.getByTestId('step-output-hint').textContent()).toContain('steps.crm.tier');
    await shot(page, '40-step-name');
  });

  it('offers the outputs that reach a step in templates and rules, not those after it', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', {})
      .node('crm', 'webhook', { ...crm, url })
      .stepName('crm', 'crm')
      .node('split', 'branch', {
        cases: [
          {
            id: 'gold',
            label: 'Gold',
            when: {
              kind: 'conditions',
              rule: { all: [{ field: 'steps.crm.tier', op: 'eq', value: 'gold' }] },
            },
          },
        ],
      })
      .node('mail', 'send_email', { subject: 'Hi', body: 'Hello' })
      .node('later', 'webhook', { ...crm, url })
      .stepName('later', 'later')
      .node('done', 'exit')
      .edge('trigger', 'crm')
      .edge('crm', 'split')
      .edge('split', 'mail', 'gold')
      .edge('split', 'mail', 'else')
      .edge('mail', 'later')
      .edge('later', 'done')
      .build();
    const journey = await call('POST', '/v1/journeys', { name: 'CRM tiers', graph });
    await page.goto(`${e2e.baseUrl}/journeys/${journey.id}`);
    await node('mail').click();
    const subject = page.getByLabel('Subject', { exact: true });
    await subject.fill('');
    await subject.pressSequentially('Your tier: {{ steps.');
    const menu = page.getByRole('listbox', { name: 'Variables' });
    await menu.getByRole('option', { name: /^steps\.crm\.tier/ }).waitFor();
    const offered = await menu.getByRole('option').allTextContents();
    expect(offered.some((o) => o.startsWith('steps.crm.httpStatus'))).toBe(true);
    expect(offered.filter((o) => o.includes('later'))).toEqual([]);
    await subject.pressSequentially('crm.ti');
    await subject.press('Enter');
    expect(await subject.inputValue()).toBe('Your tier: {{ steps.crm.tier }}');

    // The branch reads the CRM's answer with the rule editor's own picker, typed by its output.
    await node('split').click();
    const type = page.getByLabel('Condition 1 type');
    expect(await type.inputValue()).toBe('steps.crm');
    const choices = await type.locator('option').allTextContents();
    expect(choices).toContain('Step crm (Webhook)');
    expect(choices.filter((c) => c.includes('later'))).toEqual([]);
    expect(await page.getByLabel('Condition 1 field').inputValue()).toBe('steps.crm.tier');
    await page.getByLabel('Condition 1 field').selectOption('steps.crm.httpStatus');
    expect(await page.getByLabel('Condition 1 value').getAttribute('type')).toBe('number');
    await shot(page, '41-step-output-autocomplete');
  });

  it('shows what a step produced on the run timeline', async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', {})
      .node('crm', 'webhook', { ...crm, url }, 'Tell the CRM')
      .stepName('crm', 'crm')
      .node('done', 'exit')
      .edge('trigger', 'crm')
      .edge('crm', 'done')
      .build();
    const journey = await call('POST', '/v1/journeys', { name: 'CRM sync', graph });
    await call('POST', `/v1/journeys/${journey.id}/publish`, {});
    const tag = randomBytes(3).toString('hex');
    await call('POST', '/v1/events', {
      id: `evt_${tag}`,
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      customer: { externalId: `cus_${tag}`, email: `crm-${tag}@example.com`, firstName: 'Ada' },
      order: { externalId: `ord_${tag}`, total: 120, currency: 'USD', items: [] },
    });
    let runId = '';
    await expect
      .poll(
        async () => {
          const runs = (await call('GET', `/v1/runs?journeyId=${journey.id}`)) as {
            id: string;
            endedAt: string | null;
          }[];
          runId = runs[0]?.id ?? '';
          return runs[0]?.endedAt ? 'ended' : 'running';
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe('ended');

    await page.goto(`${e2e.baseUrl}/runs/${runId}`);
    const output = page.getByTestId('step-crm').getByTestId('step-output');
    await output.waitFor();
    const keys = await output.getByRole('term').allTextContents();
    const values = await output.getByRole('definition').allTextContents();
    const shown = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    expect(Object.keys(shown).sort()).toEqual(['httpStatus', 'notes', 'tier']);
    expect(shown).toMatchObject({ httpStatus: '200', tier: 'gold' });
    // A long value is cut in the list; the whole output is one click away as JSON.
    expect(shown.notes).toMatch(/…$/);
    expect(shown.notes!.length).toBeLessThan(NOTES.length);
    expect(await output.textContent()).toContain('steps.crm');
    await output.getByRole('button', { name: 'Show JSON' }).click();
    const json = JSON.parse((await output.locator('pre').textContent()) ?? '{}');
    expect(json).toEqual({ httpStatus: 200, tier: 'gold', notes: NOTES });
    await shot(page, '42-timeline-output');
  });
});
