import path from 'node:path';
import { ROOT } from './paths.mjs';
import { ensureDependencies, ensurePnpm } from './pnpm.mjs';
import { run } from './proc.mjs';

/**
 * `npm run typecheck`: every package through turbo, with the pinned pnpm on PATH (turbo asks for the
 * package manager's binary), so it works in a fresh clone with nothing installed by hand.
 */
export async function typecheck() {
  const pnpm = await ensurePnpm();
  await ensureDependencies(pnpm);
  await run(
    path.join(ROOT, 'node_modules', '.bin', 'turbo'),
    ['run', 'typecheck', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      echo: true,
    },
  );
  return 0;
}
