import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FatalError, info, step } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { ensureDependencies, ensurePnpm } from './pnpm.mjs';
import { portFree } from './ports.mjs';
import { alive, readPid, run } from './proc.mjs';
import { startServices } from './services.mjs';

const LOCK = path.join(DATA_DIR, 'hourglass.pid');

/** `npm start`: everything running, with a demo workspace, until Ctrl-C. */
export async function start() {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  takeLock();
  const port = Number(process.env.PORT ?? 3000);
  if (!(await portFree(port, '0.0.0.0'))) {
    releaseLock();
    throw new FatalError(`port ${port} is taken, so the app cannot start: free it or set PORT`);
  }
  let services = null;
  const children = [];
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    info('shutting down…');
    await Promise.all(children.map((c) => stopChild(c)));
    if (services) await services.stop();
    releaseLock();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  try {
    const pnpm = await ensurePnpm();
    await ensureDependencies(pnpm);
    services = await startServices({
      dataDir: DATA_DIR,
      pgPort: Number(process.env.HOURGLASS_PG_PORT ?? 54329),
      temporalPort: Number(process.env.HOURGLASS_TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.HOURGLASS_TEMPORAL_UI_PORT ?? 8233),
      persistTemporal: true,
      fast: false,
    });
    const env = { ...process.env, ...services.env, PORT: String(port) };
    await migrate(env);
    await step('Building the web app', () =>
      run(pnpm, ['--filter', '@hourglass/web', 'build'], { cwd: ROOT }),
    );
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    for (const [name, entry] of [
      ['api', 'server/src/main.ts'],
      ['worker', 'workflows/src/main.ts'],
    ]) {
      const child = spawn(tsx, [path.join(ROOT, entry)], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      prefixOutput(child, name);
      child.on('exit', (code, signal) => {
        if (!stopping) {
          info(`${name} exited (${signal ?? code}); stopping everything`);
          shutdown(1);
        }
      });
      children.push(child);
    }
    await step('Waiting for the API to report healthy', () => waitHealthy(port, 180_000));
    const temporalUi = process.env.TEMPORAL_ADDRESS
      ? '(external Temporal: see its own UI)'
      : `http://localhost:${process.env.HOURGLASS_TEMPORAL_UI_PORT ?? 8233}`;
    info('');
    info(`Hourglass is running.`);
    info(`  App:         http://localhost:${port}`);
    info(`  API docs:    http://localhost:${port}/docs`);
    info(`  Temporal UI: ${temporalUi}`);
    info('Press Ctrl-C to stop everything.');
  } catch (err) {
    // shutdown() exits the process, so say what went wrong first.
    console.error(
      err instanceof FatalError
        ? `hourglass: error: ${err.message}`
        : `hourglass: unexpected error: ${err?.stack ?? err}`,
    );
    await shutdown(1);
  }
  await new Promise(() => {});
}

async function migrate(env) {
  const cli = path.join(ROOT, 'packages', 'db', 'src', 'migrate-cli.ts');
  if (!fs.existsSync(cli)) return;
  await step('Applying database migrations', () =>
    run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [cli], { env }),
  );
}

function takeLock() {
  const pid = readPid(LOCK);
  if (pid && pid !== process.pid && alive(pid)) {
    throw new FatalError(
      `Hourglass is already running from this folder (pid ${pid}); stop it with Ctrl-C first`,
    );
  }
  fs.writeFileSync(LOCK, String(process.pid));
}

function releaseLock() {
  if (readPid(LOCK) === process.pid) fs.rmSync(LOCK, { force: true });
}

async function waitHealthy(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      last = await res.text();
      if (res.ok) return;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new FatalError(`the API did not become healthy within ${timeoutMs / 1000}s: ${last}`);
}

function prefixOutput(child, name) {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let buffer = '';
    stream.on('data', (d) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  }
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}
