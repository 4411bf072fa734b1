import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FatalError, info, step } from './log.mjs';
import { CACHE_DIR } from './paths.mjs';
import { canConnect, portFree, waitForPort } from './ports.mjs';
import { run, which } from './proc.mjs';

/** Temporal CLI version built from the Go module proxy (later tags carry a `replace` that `go install` rejects). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Search attributes the journey engine sets on every run. */
export const SEARCH_ATTRIBUTES = {
  CustomerId: 'Keyword',
  JourneyId: 'Keyword',
  JourneyVersion: 'Int',
  CurrentStep: 'Keyword',
};

/** Returns the path of a Temporal CLI binary, building it with `go install` into the cache when missing. */
export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const dir = path.join(CACHE_DIR, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const bin = path.join(dir, 'temporal');
  if (fs.existsSync(bin)) return bin;
  const go = which('go');
  if (!go) {
    throw new FatalError(
      'the Temporal CLI is not built yet and Go is not installed: install Go 1.23+ (or set TEMPORAL_ADDRESS to a running Temporal server)',
    );
  }
  const staging = path.join(CACHE_DIR, `temporal-cli-${TEMPORAL_CLI_VERSION}.staging-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await step(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (first run only, several minutes)`,
    () =>
      run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
      }).catch((err) => {
        throw new FatalError(
          `could not build the Temporal CLI (no network to the Go module proxy?): ${err.message.split('\n').slice(-3).join(' ')}`,
        );
      }),
  );
  fs.mkdirSync(dir, { recursive: true });
  // Rename is atomic: a concurrent or interrupted build never leaves a half-written binary in place.
  fs.renameSync(path.join(staging, 'temporal'), bin);
  fs.rmSync(staging, { recursive: true, force: true });
  return bin;
}

/**
 * Starts the Temporal dev server. With `dbFile` its state persists; with `uiPort` the web UI runs too.
 * Resolves once the frontend answers; `stop()` ends it.
 */
/**
 * Server settings the engine is tuned for (set the same on a production cluster, see the README):
 * eager activity dispatch hands a workflow task's new activity straight back to the worker that
 * completed it, when that worker has a free slot, instead of through a task queue poll.
 */
export const DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': 'true' };

export async function startTemporalDevServer({ port, uiPort = null, dbFile = null, logFile }) {
  const cli = await ensureTemporalCli();
  for (const p of [port, uiPort].filter(Boolean)) {
    if (!(await portFree(p))) {
      throw new FatalError(
        `port ${p} is taken, so the Temporal dev server cannot start: free it, or set TEMPORAL_ADDRESS`,
      );
    }
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push('--namespace', 'default');
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (dbFile) args.push('--db-filename', dbFile);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(DYNAMIC_CONFIG))
    args.push('--dynamic-config-value', `${key}=${value}`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', out, out], detached: false });
  let exited = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  await step(`Starting the Temporal dev server on port ${port}`, async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exited !== null) {
        const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new FatalError(`the Temporal dev server exited with ${exited}:\n${tail}`);
      }
      // The port opens before the namespace is ready: wait until the frontend can describe it.
      if ((await canConnect(port)) && (await namespaceReady(cli, port))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new FatalError(`the Temporal dev server did not open port ${port} within 60 s (log: ${logFile})`);
  });
  return {
    address: `127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (exited !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

function namespaceReady(cli, port) {
  return run(cli, [
    'operator',
    'namespace',
    'describe',
    '--namespace',
    'default',
    '--address',
    `127.0.0.1:${port}`,
  ]).then(
    () => true,
    () => false,
  );
}

/** Fails with one clear line when TEMPORAL_ADDRESS does not accept connections. */
export async function checkTemporalAddress(address) {
  const [host, portText] = splitHostPort(address);
  const ok = await waitForPort(Number(portText), host, 5000);
  if (!ok) throw new FatalError(`cannot reach Temporal at TEMPORAL_ADDRESS (${address})`);
  info(`using Temporal at ${address}`);
}

function splitHostPort(address) {
  const i = address.lastIndexOf(':');
  return i < 0 ? [address, '7233'] : [address.slice(0, i), address.slice(i + 1)];
}
