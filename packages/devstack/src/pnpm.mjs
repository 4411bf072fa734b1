import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FatalError, step } from './log.mjs';
import { CACHE_DIR, ROOT } from './paths.mjs';
import { run, which } from './proc.mjs';

const PNPM_VERSION = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
).packageManager.split('@')[1];

/** Returns a pnpm binary of the pinned version, installing it from npm into the cache if needed. */
export async function ensurePnpm() {
  const bin = await findOrInstallPnpm();
  // Child tools (turbo) look pnpm up on PATH.
  process.env.PATH = `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ''}`;
  process.env.TURBO_TELEMETRY_DISABLED = '1';
  return bin;
}

async function findOrInstallPnpm() {
  const onPath = which('pnpm');
  if (onPath) {
    const version = (await run(onPath, ['--version']).catch(() => '')).trim();
    if (version === PNPM_VERSION) return onPath;
  }
  const dir = path.join(CACHE_DIR, `pnpm-${PNPM_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'pnpm');
  if (fs.existsSync(bin)) return bin;
  if (!which('npm')) throw new FatalError('npm is not on PATH: install Node.js 20.19 or newer');
  await step(`Installing pnpm ${PNPM_VERSION}`, async () => {
    fs.mkdirSync(dir, { recursive: true });
    await run('npm', [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `pnpm@${PNPM_VERSION}`,
    ]);
  });
  return bin;
}

/** Installs the workspace's dependencies when the lockfile changed since the last install. */
export async function ensureDependencies(pnpm) {
  const marker = path.join(ROOT, 'node_modules', '.hourglass-installed');
  const lock = path.join(ROOT, 'pnpm-lock.yaml');
  // Reinstall only when the lockfile's content changed since the last install.
  const stamp = fs.existsSync(lock)
    ? createHash('sha256').update(fs.readFileSync(lock)).digest('hex')
    : 'none';
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp) return;
  await step('Installing dependencies (pnpm install)', async () => {
    const args = ['install', '--reporter=append-only'];
    if (fs.existsSync(lock)) args.push('--frozen-lockfile');
    await run(pnpm, args, { cwd: ROOT });
  });
  fs.writeFileSync(marker, stamp);
}
