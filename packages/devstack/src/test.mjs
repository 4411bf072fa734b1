import fs from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { info, step } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { ensureDependencies, ensurePnpm } from './pnpm.mjs';
import { freePort } from './ports.mjs';
import { killTagged, run } from './proc.mjs';
import { startServices } from './services.mjs';
import { ensureTemporalCli } from './temporal.mjs';
import { ensureTimeSkippingServer } from './testserver.mjs';

/** The source folders the layer rules in .dependency-cruiser.cjs apply to. */
const DEPENDENCY_ROOTS = ['packages', 'server', 'workflows', 'web/src', 'test', 'bench/src'];

/**
 * `npm test`: installs what is missing, starts its own services on free ports (unless DATABASE_URL /
 * TEMPORAL_ADDRESS are set), then runs typecheck, lint and every test. `--faults` runs the fault suite
 * instead, `--chaos` the chaos soak (which starts and kills its own PostgreSQL and Temporal;
 * HOURGLASS_CHAOS_MINUTES, default 20, and HOURGLASS_CHAOS_RATE, events/s, default 30, size it).
 */
export async function test(args) {
  const chaos = args.includes('--chaos');
  const faults = chaos || args.includes('--faults');
  const started = Date.now();
  const pnpm = await ensurePnpm();
  await ensureDependencies(pnpm);
  const chromium = await ensureChromium();
  if (!process.env.TEMPORAL_ADDRESS) await ensureTemporalCli();
  const testServer = await ensureTimeSkippingServer();
  const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

  if (!faults) {
    await step('Type-checking every package', () =>
      run(bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only'], { cwd: ROOT }),
    );
    await step('Linting (Biome)', () => run(bin('biome'), ['check', '.'], { cwd: ROOT }));
    await step('Checking dependency rules (dependency-cruiser)', () =>
      run(bin('depcruise'), ['--config', '.dependency-cruiser.cjs', ...DEPENDENCY_ROOTS], { cwd: ROOT }),
    );
  }
  // The fault suite drives the API and the worker directly; only the full suite needs the web build.
  if (!faults) {
    await step('Building the web app', () =>
      run(pnpm, ['--filter', '@hourglass/web', 'build'], { cwd: ROOT }),
    );
  }

  const dataDir = path.join(DATA_DIR, 'test');
  // Each fault case appends one summary line here; start empty so the file describes this run only.
  const faultsSummary = path.join(dataDir, chaos ? 'chaos-summary.txt' : 'faults-summary.txt');
  if (faults) fs.rmSync(faultsSummary, { force: true });
  const services = await startServices({
    dataDir,
    pgPort: await freePort(),
    temporalPort: await freePort(),
    uiPort: null,
    persistTemporal: false,
    fast: true,
  });
  const results = path.join(dataDir, 'vitest-results.json');
  fs.rmSync(results, { force: true });
  let code = 1;
  // Everything the tests start inherits this; whatever of it is still running afterwards is killed.
  const runTag = `${process.pid}-${started}`;
  // Interrupted (Ctrl-C, a CI time limit): take down what the tests started and the services too.
  const interrupted = async () => {
    killTagged('HOURGLASS_TEST_RUN', runTag);
    await services.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const env = {
      ...process.env,
      ...services.env,
      HOURGLASS_TEST_SERVER_PATH: testServer,
      CHROMIUM_PATH: chromium,
      HOURGLASS_FAULTS: faults && !chaos ? '1' : '',
      HOURGLASS_CHAOS: chaos ? '1' : '',
      HOURGLASS_LOG: 'silent',
      HOURGLASS_TEST_RUN: runTag,
    };
    info(
      chaos
        ? 'running the chaos soak'
        : faults
          ? 'running the fault-injection suite'
          : 'running the test suite',
    );
    const vitestArgs = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`];
    if (faults) vitestArgs.push(chaos ? 'test/faults/chaos.chaos.test.ts' : 'test/faults');
    code = await run(bin('vitest'), vitestArgs, { cwd: ROOT, env, echo: true }).then(
      () => 0,
      () => 1,
    );
  } finally {
    const leftovers = killTagged('HOURGLASS_TEST_RUN', runTag);
    if (leftovers) info(`stopped ${leftovers} processes the tests left running`);
    await services.stop();
  }
  if (faults && fs.existsSync(faultsSummary)) {
    info(`${chaos ? 'chaos' : 'fault'} summary (${path.relative(ROOT, faultsSummary)}):`);
    process.stdout.write(fs.readFileSync(faultsSummary, 'utf8'));
  }
  summarize(results, code, started);
  return code;
}

/** Prints the closing line CI reads: "N passed, N failed". */
function summarize(file, code, started) {
  let passed = 0;
  let failed = code === 0 ? 0 : 1;
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  } catch {
    // no report: vitest did not get as far as writing one; the exit code decides.
  }
  info(`finished in ${Math.round((Date.now() - started) / 1000)}s`);
  console.log(`${passed} passed, ${failed} failed`);
}
