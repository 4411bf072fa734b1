import fs from 'node:fs';
import path from 'node:path';
import { info } from './log.mjs';
import { ROOT } from './paths.mjs';
import { ensureDependencies, ensurePnpm } from './pnpm.mjs';
import { run } from './proc.mjs';

/** `npm run bench`: runs every benchmark under bench/src and prints their JSON figures. */
export async function bench() {
  const pnpm = await ensurePnpm();
  await ensureDependencies(pnpm);
  const dir = path.join(ROOT, 'bench', 'src');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')) : [];
  for (const file of files) {
    info(`benchmark ${file}`);
    await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(dir, file)], {
      cwd: ROOT,
      echo: true,
    });
  }
  return 0;
}
