import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChromium } from './chromium.mjs';
import { info } from './log.mjs';
import { DATA_DIR, ROOT } from './paths.mjs';
import { ensureDependencies, ensurePnpm } from './pnpm.mjs';
import { freePort } from './ports.mjs';
import { run } from './proc.mjs';
import { startServices } from './services.mjs';

/**
 * `npm run bench`: runs every `bench/src/*.bench.ts` against freshly started services, collects the JSON
 * figures each prints, writes `bench/results/latest.json` and prints a table. `npm run bench -- compile`
 * runs only the benchmarks whose file name contains "compile" (several names: any of them); the figures
 * of benchmarks not run are kept from the previous report, so filtered runs add up to one report.
 */
export async function bench(args) {
  const pnpm = await ensurePnpm();
  await ensureDependencies(pnpm);
  const chromium = await ensureChromium();
  const dir = path.join(ROOT, 'bench', 'src');
  const filters = args.filter((a) => !a.startsWith('-'));
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts') && (!filters.length || filters.some((x) => f.includes(x))))
    .sort();
  await run(pnpm, ['--filter', '@hourglass/web', 'build'], { cwd: ROOT });
  const services = await startServices({
    dataDir: path.join(DATA_DIR, 'bench'),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    uiPort: null,
    persistTemporal: false,
    fast: false,
  });
  const figures = [];
  const failures = [];
  try {
    const env = { ...process.env, ...services.env, CHROMIUM_PATH: chromium, HOURGLASS_LOG: 'silent' };
    for (const file of files) {
      info(`benchmark ${file}`);
      try {
        const out = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(dir, file)], {
          cwd: ROOT,
          env,
        });
        const bench = file.replace(/\.bench\.ts$/, '');
        figures.push(...parseFigures(out).map((f) => ({ ...f, bench })));
      } catch (err) {
        failures.push(file);
        info(`benchmark ${file} failed: ${err.message.split('\n').slice(0, 8).join('\n')}`);
      }
    }
  } finally {
    await services.stop();
  }
  const report = {
    machine: {
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    at: new Date().toISOString(),
    figures: [...keptFigures(files, figures), ...figures.map((f) => ({ ...f, met: met(f) }))],
  };
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(latestPath, `${JSON.stringify(report, null, 2)}\n`);
  printTable(report.figures);
  return failures.length ? 1 : 0;
}

const latestPath = path.join(ROOT, 'bench', 'results', 'latest.json');

/** Figures of the previous report from benchmarks that did not run now (and that still exist). */
function keptFigures(ranFiles, figures) {
  let previous;
  try {
    previous = JSON.parse(fs.readFileSync(latestPath, 'utf8')).figures ?? [];
  } catch {
    return [];
  }
  const ran = new Set(ranFiles.map((f) => f.replace(/\.bench\.ts$/, '')));
  const names = new Set(figures.map((f) => f.name));
  const exists = (bench) => fs.existsSync(path.join(ROOT, 'bench', 'src', `${bench}.bench.ts`));
  return previous.filter((f) => f.bench && !ran.has(f.bench) && exists(f.bench) && !names.has(f.name));
}

/**
 * A benchmark prints one JSON object with `figures` (from a line starting with `{` to one that is `}`);
 * anything before or after it is progress output or logs of its child processes.
 */
function parseFigures(out) {
  const starts = [...out.matchAll(/^\{/gm)].map((m) => m.index);
  const ends = [...out.matchAll(/^\}\s*$/gm)].map((m) => m.index + 1);
  for (const start of starts.reverse())
    for (const end of ends.filter((e) => e > start)) {
      try {
        const parsed = JSON.parse(out.slice(start, end));
        if (Array.isArray(parsed.figures)) return parsed.figures;
      } catch {
        // not this span
      }
    }
  throw new Error('no JSON report printed');
}

/** Whether a figure meets its target: ratios of throughput must be high, everything else low. */
function met(f) {
  if (f.target === undefined) return null;
  const value = f.ratio ?? f.value;
  const higherIsBetter =
    /throughput|per_second|\/s$/.test(f.ratio !== undefined ? f.name : (f.unit ?? '')) ||
    f.better === 'higher';
  return higherIsBetter ? value >= f.target : value <= f.target;
}

function printTable(figures) {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit ?? ''}`.trim(),
    f.baseline === undefined ? '' : String(f.baseline),
    f.ratio === undefined ? '' : String(f.ratio),
    f.target === undefined ? '' : String(f.target),
    f.met === null ? '' : f.met ? 'yes' : 'NO',
  ]);
  const head = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
