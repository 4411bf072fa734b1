import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/src/../..). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A worker process: `workflows/src/main.ts`, the entry production runs. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the worker as its own process (node with tsx as a loader, so the pid is the worker itself, not a
 * CLI wrapper) and resolves once it polls. Provider keys are removed from its environment, so messages go
 * to the channels outbox unless `env` sets them.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited))
    if (k.startsWith('RESEND_') || k.startsWith('TWILIO_')) delete inherited[k];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'workflows/src/main.ts')], {
    cwd: root,
    env: { ...inherited, HOURGLASS_LOG: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('worker did not start within 120 s')), 120_000);
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes('worker: polling')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** CPU seconds the whole machine has spent busy (all cores, from /proc/stat). */
export function machineCpuSeconds(): number {
  const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const [, ...ticks] = (cpu ?? '').trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const busy = ticks.slice(0, 8).reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
  return busy / 100;
}

/**
 * Where a process's resident memory sits, in MB, from /proc (Linux): anonymous pages (the V8 heap,
 * native allocations such as Temporal's Rust core) and file-backed pages (code, mapped bundles).
 */
export function rssBreakdownMb(pid: number): { anon: number; file: number; shmem: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) =>
    Math.round((Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0) / 1024) * 10) / 10;
  return { anon: mb('RssAnon'), file: mb('RssFile'), shmem: mb('RssShmem') };
}

/**
 * Asks a process started with `--heapsnapshot-signal=SIGWINCH --diagnostic-dir=<dir>` for a heap
 * snapshot (not SIGUSR2: the Temporal SDK stops the worker on it) and resolves with its path once the
 * file stops growing. The snapshot holds the main thread's heap only: workflows run in a worker thread
 * unless TEMPORAL_DEBUG=1 runs them on the main one.
 */
export async function takeHeapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(pid, 'SIGWINCH');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let waited = 0; waited < 300_000; waited += 1000) {
    await sleep(1000);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const full = path.join(dir, file);
    const size = fs.statSync(full).size;
    await sleep(2000);
    if (size > 0 && fs.statSync(full).size === size) return full;
  }
  throw new Error(`no heap snapshot from ${pid} in ${dir}`);
}
