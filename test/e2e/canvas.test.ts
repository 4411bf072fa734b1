import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@hourglass/server';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../src/env';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '../artifacts');
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  app = await buildApp({
    pingDatabase: async () => {},
    pingTemporal: async () => {},
    webDist: path.resolve(here, '../../web/dist'),
  });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: testEnv.chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  fs.mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('web app', () => {
  it('renders the journey canvas', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(baseUrl);
    await page.getByRole('heading', { name: 'Review request' }).waitFor();
    await expect(page.getByText('Wait 7 days').isVisible()).resolves.toBe(true);
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    await page.screenshot({ path: path.join(artifacts, 'canvas.png') });
    expect(fs.statSync(path.join(artifacts, 'canvas.png')).size).toBeGreaterThan(1000);
  });
});
