import fs from 'node:fs';
import path from 'node:path';
import { freePort, startPostgres, startTemporalDevServer } from '@hourglass/devstack';
import { type NodeProcess, startNodeProcess, startWorker } from '../processes';
import { DATA, sleep } from '../support';

// The soak's stack: its own PostgreSQL and Temporal dev server (file-backed, so both come back with
// their data), two API processes and two workers sharing them. Any of them can be killed with SIGKILL
// and is started again by the harness, like a process supervisor would.

type Pg = Awaited<ReturnType<typeof startPostgres>>;
type Temporal = Awaited<ReturnType<typeof startTemporalDevServer>>;
export type VictimKind = 'api' | 'worker' | 'temporal' | 'postgres';
export const VICTIM_KINDS: VictimKind[] = ['api', 'worker', 'temporal', 'postgres'];

/** One restartable member of the stack. */
interface Slot {
  name: string;
  kind: VictimKind;
  start(): Promise<void>;
  kill9(): Promise<void>;
  /** The tail of its log when it ended without being killed, else null. */
  crashed(): string | null;
  stop(): Promise<void>;
  down: boolean;
}

export interface Stack {
  databaseUrl: string;
  temporalAddress: string;
  apiUrls: string[];
  /** Kills one member of `kind` with SIGKILL, waits `downMs`, starts it again; returns its name. */
  crash(kind: VictimKind, pick: number, downMs: number): Promise<string>;
  /** Restarts members that died without being killed; returns their names (with the log tail). */
  reviveCrashed(): Promise<string[]>;
  /** Crash recoveries PostgreSQL logged ("automatic recovery in progress"). */
  pgRecoveries(): number;
  stop(): Promise<void>;
}

/** Starts PostgreSQL, Temporal, then the API and worker processes (after `prepare` set up the database). */
export async function startStack(opts: {
  dir: string;
  taskQueue: string;
  emulatorUrl: string;
  prepare: (databaseUrl: string) => Promise<void>;
}): Promise<Stack> {
  const pgDir = path.join(opts.dir, 'postgres');
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const dbFile = path.join(opts.dir, 'temporal.db');
  const temporalLog = path.join(DATA, 'faults-chaos-temporal.log');
  // Durable settings (not the test suite's `fast` ones): with synchronous_commit off, a crash loses the
  // last commits, events already answered 2xx among them, as the soak's first runs showed.
  let pg: Pg = await startPostgres({ dir: pgDir, port: pgPort });
  let temporal: Temporal = await startTemporalDevServer({ port: temporalPort, dbFile, logFile: temporalLog });
  const databaseUrl = pg.url;
  const temporalAddress = temporal.address;
  await opts.prepare(databaseUrl);

  const slots: Slot[] = [];
  let pgAsked = false;
  let temporalAsked = false;
  slots.push({
    name: 'postgres',
    kind: 'postgres',
    down: false,
    async start() {
      pg = await startPostgres({ dir: pgDir, port: pgPort });
      pgAsked = false;
    },
    async kill9() {
      pgAsked = true;
      // The postmaster alone, as the OOM killer would: its backends notice and exit, and the next start
      // finds an unclean shutdown and replays the WAL.
      const pid = Number(
        fs.readFileSync(path.join(pgDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(pid, 'SIGKILL');
    },
    crashed: () => null,
    stop: () => (pgAsked ? Promise.resolve() : pg.stop()),
  });
  slots.push({
    name: 'temporal',
    kind: 'temporal',
    down: false,
    async start() {
      temporal = await startTemporalDevServer({ port: temporalPort, dbFile, logFile: temporalLog });
      temporalAsked = false;
    },
    async kill9() {
      temporalAsked = true;
      const gone = new Promise((resolve) => temporal.child.once('exit', resolve));
      temporal.child.kill('SIGKILL');
      await gone;
    },
    crashed: () =>
      !temporalAsked && temporal.child.exitCode !== null ? `exited with ${temporal.child.exitCode}` : null,
    stop: () => (temporalAsked ? Promise.resolve() : temporal.stop()),
  });
  const apiPorts = [await freePort(), await freePort()];
  const processSlot = (name: string, kind: VictimKind, launch: () => Promise<NodeProcess>): Slot => {
    let proc: NodeProcess | undefined;
    return {
      name,
      kind,
      down: false,
      async start() {
        proc = await launch();
      },
      kill9: async () => proc?.kill9(),
      crashed: () => proc?.crashed() ?? null,
      stop: async () => proc?.stop(),
    };
  };
  apiPorts.forEach((port, i) => {
    slots.push(
      processSlot(`api${i + 1}`, 'api', () =>
        startNodeProcess({
          label: `chaos-api${i + 1}`,
          entry: 'server/src/main.ts',
          env: {
            DATABASE_URL: databaseUrl,
            TEMPORAL_ADDRESS: temporalAddress,
            TEMPORAL_NAMESPACE: 'default',
            TEMPORAL_TASK_QUEUE: opts.taskQueue,
            PORT: String(port),
            HOST: '127.0.0.1',
            HOURGLASS_LOG: 'silent',
            HOURGLASS_SECRET_KEY: 'faults-secret',
            HOURGLASS_WEB_DIST: path.join(opts.dir, 'no-web'),
          },
          // Any answer will do: /health says 503 while Temporal is away, and the API still takes events.
          ready: async () => (await fetch(`http://127.0.0.1:${port}/health`)).status > 0,
        }),
      ),
    );
  });
  for (const i of [1, 2]) {
    slots.push(
      processSlot(`worker${i}`, 'worker', () =>
        startWorker({
          label: `chaos-w${i}`,
          databaseUrl,
          temporalAddress,
          taskQueue: opts.taskQueue,
          emulatorUrl: opts.emulatorUrl,
        }),
      ),
    );
  }
  for (const s of slots.filter((s) => s.kind === 'api' || s.kind === 'worker')) await s.start();

  /** Starts `slot`, retrying while what it needs is itself coming back (PostgreSQL, Temporal). */
  const restart = async (slot: Slot) => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        await slot.start();
        slot.down = false;
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${slot.name} did not come back: ${String(err)}`);
        await sleep(1000);
      }
    }
  };

  return {
    databaseUrl,
    temporalAddress,
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    async crash(kind, pick, downMs) {
      const candidates = slots.filter((s) => s.kind === kind && !s.down);
      const slot = candidates[Math.floor(pick * candidates.length)] ?? candidates[0];
      if (!slot) return 'none';
      slot.down = true;
      await slot.kill9();
      await sleep(downMs);
      await restart(slot);
      return slot.name;
    },
    async reviveCrashed() {
      const revived: string[] = [];
      for (const slot of slots) {
        const tail = slot.down ? null : slot.crashed();
        if (tail === null) continue;
        revived.push(`${slot.name}: ${tail.split('\n').slice(-3).join(' | ')}`);
        slot.down = true;
        await restart(slot);
      }
      return revived;
    },
    pgRecoveries: () =>
      (
        fs.readFileSync(path.join(pgDir, 'postgres.log'), 'utf8').match(/automatic recovery in progress/g) ??
        []
      ).length,
    async stop() {
      for (const slot of [...slots].reverse()) await slot.stop().catch(() => {});
    },
  };
}
