import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelsConfig } from '@hourglass/channels';
import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { bootstrap, buildApp, type Dispatcher, startDispatcher } from '@hourglass/server';
import { createWorker, searchAttributes } from '@hourglass/workflows';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { workflowBundle } from '../src/bundle';
import { testEnv } from '../src/env';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Screenshots land here (gitignored). */
export const artifacts = path.resolve(here, '../artifacts');

/** Demo credentials the bootstrap uses in browser tests. */
export const DEMO = { email: 'owner@demo.test', password: 'hourglass-e2e', apiKey: `hg_e2e_${randomUUID()}` };

/** The real API (fresh database, bootstrapped demo workspace, dispatcher, Temporal worker) + Chromium. */
export interface E2E {
  baseUrl: string;
  browser: Browser;
  db: TestDatabase;
  close(): Promise<void>;
}

/** Starts everything; `temporal: false` skips the worker and dispatcher (UI-only tests). */
export async function startE2E(
  label: string,
  opts: { temporal: boolean; channels?: ChannelsConfig },
): Promise<E2E> {
  const db = await freshDatabase(`e2e_${label}`);
  let worker: Worker | null = null;
  let running: Promise<void> | null = null;
  let dispatcher: Dispatcher | null = null;
  let native: NativeConnection | null = null;
  let connection: Connection | null = null;
  let temporal: { client: Client; taskQueue: string } | null = null;
  if (opts.temporal) {
    const taskQueue = `e2e-${label}-${randomUUID().slice(0, 8)}`;
    connection = await Connection.connect({ address: testEnv.temporalAddress });
    await registerSearchAttributes(connection);
    temporal = { client: new Client({ connection, namespace: 'default' }), taskQueue };
    native = await NativeConnection.connect({ address: testEnv.temporalAddress });
    worker = await createWorker({
      connection: native,
      config: { address: testEnv.temporalAddress, namespace: 'default', taskQueue },
      bundle: workflowBundle(),
      activities: {
        db: db.db,
        engine: { jitterMs: 0 },
        ...(opts.channels ? { channels: opts.channels } : {}),
      },
    });
    running = worker.run();
  }
  let poke = () => {};
  const app: FastifyInstance = await buildApp({
    db: db.db,
    temporal,
    onEventsAccepted: () => poke(),
    ...(opts.channels ? { channels: opts.channels } : {}),
    pingDatabase: () => db.pool.query('select 1'),
    pingTemporal: async () => {},
    webDist: path.resolve(here, '../../web/dist'),
  });
  await bootstrap(db.db, {
    HOURGLASS_BOOTSTRAP_EMAIL: DEMO.email,
    HOURGLASS_BOOTSTRAP_PASSWORD: DEMO.password,
    HOURGLASS_BOOTSTRAP_API_KEY: DEMO.apiKey,
  });
  if (temporal) {
    dispatcher = startDispatcher({ db: db.db, temporal, log: app.log, pollMs: 200 });
    poke = dispatcher.poke;
  }
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
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
  return {
    baseUrl,
    browser,
    db,
    async close() {
      await browser.close().catch(() => {});
      await app.close();
      await dispatcher?.stop();
      worker?.shutdown();
      await running?.catch(() => {});
      await native?.close().catch(() => {});
      await connection?.close().catch(() => {});
      await db.drop();
    },
  };
}

// IndexedValueType numbers (temporal.api.enums.v1): KEYWORD = 2, INT = 3.
const INDEXED: Record<string, number> = { KEYWORD: 2, INT: 3 };

/**
 * Runs carry search attributes; a shared dev server not started by `npm start` may lack them, and then
 * every start fails. Registering is idempotent (already-registered attributes are skipped).
 */
export async function registerSearchAttributes(connection: Connection) {
  const existing = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  const missing: Record<string, number> = {};
  for (const key of Object.values(searchAttributes)) {
    if (!existing.customAttributes?.[key.name]) missing[key.name] = INDEXED[key.type] ?? 2;
  }
  if (Object.keys(missing).length === 0) return;
  await connection.operatorService
    .addSearchAttributes({ namespace: 'default', searchAttributes: missing as never })
    .catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
}

/** Opens a page signed in as the demo owner, on the journeys list. */
export async function signedInPage(e2e: E2E): Promise<Page> {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => console.error('[browser]', err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[console]', m.text());
  });
  page.on('response', (r) => {
    if (r.url().includes('/v1/') && r.status() >= 400)
      console.error('[net]', r.request().method(), r.url(), r.status());
  });
  await page.goto(e2e.baseUrl);
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor({ timeout: 15_000 });
  } catch (err) {
    await shot(page, 'signin-failure');
    throw new Error(`sign-in failed; page says: ${(await page.textContent('body'))?.slice(0, 300)}`, {
      cause: err,
    });
  }
  return page;
}

/** Saves a screenshot under test/artifacts. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/** A JSON call to the running API with the demo workspace's key; throws on an error answer. */
export async function apiCall(e2e: E2E, method: string, path: string, body?: unknown) {
  const res = await fetch(`${e2e.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEMO.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Selects a step on the canvas: waits until it stops moving (tidy-up and fit-view animate), clicks
 * it, and clicks again if the click landed while it was still moving and selected nothing.
 */
export async function selectStep(step: Locator) {
  for (let attempt = 0; attempt < 5; attempt++) {
    let last = await step.boundingBox();
    for (let i = 0; i < 20; i++) {
      await step.page().waitForTimeout(100);
      const next = await step.boundingBox();
      if (next && last && next.x === last.x && next.y === last.y && next.width === last.width) break;
      last = next;
    }
    await step.click();
    const selected = await step
      .evaluate(
        (el) => new Promise<boolean>((r) => setTimeout(() => r(el.classList.contains('selected')), 150)),
      )
      .catch(() => false);
    if (selected) return;
  }
  throw new Error('the step could not be selected');
}

/** Polls `fn` until it gives a value (every 300 ms, up to `ms`). */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 300));
  }
}
