import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { JOURNEY_WORKFLOW, journeyRun } from '@hourglass/workflows/client';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';

// The API process starts and signals runs through the client entry of workflows alone: loading the
// server must not load the Temporal worker (native code, webpack, a V8 sandbox per run), the activities
// or the workflow code. Checked on the real module graph: a fresh Node process imports the module and
// a loader hook records every module Node resolves (ES modules), plus the CommonJS cache.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Runs in Node's loader thread: reports each resolved URL; answers a flush once all earlier reports are sent.
const HOOKS = `
let port;
export function initialize(data) {
  port = data.port;
  port.on('message', () => port.postMessage({ flushed: true }));
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port.postMessage({ url: resolved.url });
  return resolved;
}`;

const PROBE = `
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = new Set();
const flushed = new Promise((done) => port1.on('message', (m) => (m.flushed ? done() : seen.add(m.url))));
register('data:text/javascript,' + encodeURIComponent(process.env.PROBE_HOOKS), import.meta.url, {
  data: { port: port2 },
  transferList: [port2],
});
await import(process.env.PROBE_ENTRY);
port1.postMessage('flush');
await flushed;
for (const file of Object.keys(createRequire(import.meta.url).cache)) seen.add(pathToFileURL(file).href);
process.stdout.write(JSON.stringify([...seen]));
process.exit(0);`;

/** Every module a fresh Node process (with tsx, as the API runs) loads to import `entry`, as paths from the repo root. */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', PROBE],
    {
      cwd: root,
      env: { ...process.env, PROBE_HOOKS: HOOKS, PROBE_ENTRY: pathToFileURL(path.join(root, entry)).href },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const urls = JSON.parse(stdout) as string[];
  return urls
    .filter((u) => u.startsWith('file:'))
    .map((u) => path.relative(root, fileURLToPath(u)).split(path.sep).join('/'));
}

/** The npm package a node_modules path belongs to (`@temporalio/worker`, `zod`), or null for our sources. */
function packageOf(file: string): string | null {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(file);
  return m?.[1] ?? null;
}

const ourWorkflowFiles = (files: string[]) => files.filter((f) => f.startsWith('workflows/'));
const CLIENT_ENTRY_FILES = /^workflows\/src\/(client\/[^/]+|contract|config)\.ts$/;

describe('the API process and the workflows client entry', () => {
  it('loading the server loads no worker, activities or workflow code', async () => {
    const files = await modulesLoadedBy('server/src/index.ts');
    const packages = new Set(files.map(packageOf));
    // The probe saw the graph: the server and the client entry were loaded through it.
    expect(files).toContain('server/src/routing/route-event.ts');
    expect(files).toContain('workflows/src/client/runs.ts');
    expect(packages).toContain('@temporalio/client');
    expect(packages).not.toContain('@temporalio/worker');
    expect(packages).not.toContain('@temporalio/workflow');
    expect(packages).not.toContain('@temporalio/activity');
    expect(ourWorkflowFiles(files).filter((f) => !CLIENT_ENTRY_FILES.test(f))).toEqual([]);
  }, 60_000);

  it('the client entry stands on @temporalio/client alone', async () => {
    const files = await modulesLoadedBy('workflows/src/client/index.ts');
    const ours = files.filter((f) => !packageOf(f));
    expect(ours.length).toBeGreaterThan(0);
    // No other package of ours (no database, no journey model): only the entry's own files.
    expect(ours.filter((f) => !CLIENT_ENTRY_FILES.test(f))).toEqual([]);
    const temporal = [...new Set(files.map(packageOf))].filter((p) => p?.startsWith('@temporalio/')).sort();
    expect(temporal).toEqual(['@temporalio/client', '@temporalio/common', '@temporalio/proto']);
  }, 60_000);
});

// Runs are started through the workflow's type, so arguments are checked at compile time (the test
// package's typecheck fails if this stops being an error). Never called.
export function startWithWrongArguments(client: Client, name: typeof JOURNEY_WORKFLOW) {
  return client.workflow.start<typeof journeyRun>(name, {
    taskQueue: 'q',
    workflowId: 'w',
    // @ts-expect-error journeyRun takes a JourneyRunInput
    args: [{ journeyId: 1 }],
  });
}
