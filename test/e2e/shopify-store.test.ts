import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../channels/helpers';
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from '../fakes/shopify/admin-api';
import { type E2E, shot, signedInPage, startE2E } from './harness';

// As the workspace owner, on Settings › Store: connect a Shopify store (a local fake of its Admin
// API), see the webhook address, test the connection, register the webhooks, and import the order
// history with its progress bar; the secrets are never shown back.

let e2e: E2E;
let page: Page;
let fake: FakeShopifyAdmin;
const TOKEN = 'shpat_e2e_token_0123';
const SECRET = 'shpss_e2e_secret_4567';
const ORDERS = 600;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin({ shopName: 'Demo Outfitters (Shopify)', tokens: [TOKEN] });
  fake.bucket.restoreRate = 100_000;
  const now = Date.now();
  for (let i = 0; i < 30; i++)
    fake.customers.push({
      id: `gid://shopify/Customer/${100 + i}`,
      firstName: `Shopper ${i}`,
      updatedAt: new Date(now - 86_400_000).toISOString(),
      defaultEmailAddress: { emailAddress: `shopper${i}@example.com`, marketingState: 'SUBSCRIBED' },
    });
  for (let i = 0; i < ORDERS; i++)
    fake.orders.push({
      id: `gid://shopify/Order/${5000 + i}`,
      name: `#${1000 + i}`,
      createdAt: new Date(now - 20 * 86_400_000 + i * 60_000).toISOString(),
      updatedAt: new Date(now - 20 * 86_400_000 + i * 60_000).toISOString(),
      email: `shopper${i % 30}@example.com`,
      totalPriceSet: { shopMoney: { amount: '25.00', currencyCode: 'USD' } },
      customer: { id: `gid://shopify/Customer/${100 + (i % 30)}` },
      lineItems: { nodes: [] },
    });
  e2e = await startE2E('shopify_store', {
    temporal: false,
    channels: testConfig(undefined, {
      outbound: { allow: [{ host: '127.0.0.1', port: fake.port }] },
      shopify: { apiVersion: '2025-10', apiBase: fake.url, timeoutMs: 5000, reconcileMinutes: 0 },
    }),
  });
  page = await signedInPage(e2e);
}, 120_000);
afterAll(async () => {
  await e2e?.close();
  await fake?.close();
});

describe('Settings › Store', () => {
  it('connects a store, shows the webhook address, tests it, registers webhooks and imports history', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Store' })
      .click();
    const connect = page.getByRole('region', { name: 'Connect Shopify' });
    await connect.getByLabel('Shop domain').fill('not a shop');
    await connect.getByRole('button', { name: 'Connect' }).click();
    await connect.getByText("Use the shop's permanent domain").waitFor();

    await connect.getByLabel('Shop domain').fill('demo-outfitters.myshopify.com');
    await connect.getByLabel('Client secret').fill(SECRET);
    await connect.getByLabel('Admin API access token').fill(TOKEN);
    await connect.getByRole('button', { name: 'Connect' }).click();
    const status = page.getByRole('region', { name: 'Shopify connection' });
    await status.waitFor();
    const ws = await page.getByLabel('Webhook address').inputValue();
    expect(ws).toMatch(/^http:\/\/hourglass\.test\/webhooks\/shopify\/[0-9a-f-]{36}$/);
    await status.getByText('orders/create').waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.content()).not.toContain(TOKEN);

    await status.getByRole('button', { name: 'Test connection' }).click();
    await status.getByText('Connected to Demo Outfitters (Shopify).').waitFor();
    await status.getByRole('button', { name: 'Register webhooks' }).click();
    await status.getByText('Webhooks registered for every topic.').waitFor();
    expect(fake.subscriptions.map((s) => s.uri)).toEqual(Array(8).fill(ws));

    const history = page.getByRole('region', { name: 'Import history' });
    await history.getByLabel('Orders of the last (days)').fill('30');
    await history.getByRole('button', { name: 'Import' }).click();
    const bar = history.getByRole('progressbar', { name: 'Import progress' });
    await bar.waitFor();
    await history.getByText(`Imported 30 customers and ${ORDERS} orders.`).waitFor({ timeout: 60_000 });
    expect(await bar.getAttribute('value')).toBe(String(ORDERS));
    await shot(page, 'settings-store');

    await page.reload();
    await page.getByRole('region', { name: 'Shopify connection' }).getByText('Tested').waitFor();
    expect(await page.getByRole('region', { name: 'Connect Shopify', exact: true }).count()).toBe(0);
    expect(
      await page.getByRole('region', { name: 'Reconnect Shopify' }).getByLabel('Client secret').inputValue(),
    ).toBe('');
  }, 120_000);
});
