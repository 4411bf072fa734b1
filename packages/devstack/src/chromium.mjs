import fs from 'node:fs';
import { FatalError, step } from './log.mjs';
import { run, which } from './proc.mjs';

/** Chromium for browser tests: Debian's package, installed with apt when missing (no browser download). */
export async function ensureChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    throw new FatalError(
      'Chromium is not installed: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH',
    );
  }
  await step('Installing Chromium from Debian packages (first run only)', async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-q'], { env }).catch(() => {});
    await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { env });
  });
  if (!fs.existsSync('/usr/bin/chromium'))
    throw new FatalError('apt-get installed chromium but /usr/bin/chromium is missing');
  return '/usr/bin/chromium';
}
