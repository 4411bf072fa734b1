import fs from 'node:fs';
import path from 'node:path';
import { createDb, type DbHandle, migrate } from '@hourglass/db';
import { seedTenant } from '../../api/harness';
import { type Emulator, startEmulator } from '../../emulator/server';
import { DATA, publishJourney, sleep, tempDir, uniqueQueue, within } from '../support';
import { audit } from './audit';
import { chaosGraph } from './journey';
import { startLoad } from './load';
import { type Stack, startStack, VICTIM_KINDS } from './stack';

// The chaos soak: load on two APIs and two workers while a random member of the stack is killed with
// SIGKILL every 30–90 s (scaled down for short runs) and started again; then the audit.

export interface SoakOptions {
  /** How long the load runs (the settle and the audit come after). */
  minutes: number;
  eventsPerSecond: number;
  /** Seconds between kills: [min, max]; default 30–90 s, scaled down for runs under 20 minutes. */
  killEverySeconds?: [number, number];
}

export interface SoakResult {
  line: string;
  violations: string[];
}

const SUMMARY = path.join(DATA, 'chaos-summary.txt');
const KILLS = path.join(DATA, 'chaos-kills.log');
/** One line a minute: whether the stack keeps up with the load (a growing backlog means it does not). */
const PROGRESS = path.join(DATA, 'chaos-progress.log');
/** Pause and wait-for-event timeout of the journey: seconds, so runs end within the soak. */
const PAUSE_MS = 2000;
const WAIT_MS = 20_000;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const scale = Math.min(1, Math.max(0.15, opts.minutes / 20));
  const [lo, hi] = opts.killEverySeconds ?? [30 * scale, 90 * scale];
  const scratch = tempDir('chaos');
  const emulator: Emulator = await startEmulator({ seed: 24 });
  const taskQueue = uniqueQueue('chaos');
  let handle: DbHandle | undefined;
  let stack: Stack | undefined;
  let tenant: Awaited<ReturnType<typeof seedTenant>> | undefined;
  let journeyId = '';
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  try {
    stack = await startStack({
      dir: scratch.dir,
      taskQueue,
      emulatorUrl: emulator.url,
      prepare: async (url) => {
        await migrate(url);
        handle = createDb(url, { max: 4, applicationName: 'chaos-harness' });
        tenant = await seedTenant(handle.db, 'Chaos shop');
        journeyId = await publishJourney(
          handle.db,
          tenant.workspace.id,
          chaosGraph(),
          PAUSE_MS,
          undefined,
          WAIT_MS,
        );
      },
    });
    const { pool } = handle!;
    const ws = tenant!.workspace.id;
    const load = startLoad({
      apiUrls: stack.apiUrls,
      apiKey: tenant!.keys.ingest,
      eventsPerSecond: opts.eventsPerSecond,
      random: Math.random,
      // Through the order's customer: runs are indexed by customer, not by order.
      runsExisting: async (orders) =>
        new Set(
          (
            await pool.query<{ external_id: string }>(
              `select o.external_id from orders o
                 join journey_runs r on r.workspace_id = o.workspace_id and r.customer_id = o.customer_id and r.order_id = o.id
                where o.workspace_id = $1 and o.external_id = any($2::text[])`,
              [ws, orders],
            )
          ).rows.map((r) => r.external_id),
        ),
    });

    const kills = new Map<string, number>();
    const crashes: string[] = [];
    const loadStarted = Date.now();
    const loadEnds = loadStarted + opts.minutes * 60_000;
    let watching = true;
    progressTimer = setInterval(() => {
      void backlog(pool, ws).then(
        (b) => {
          const line = `${new Date().toISOString()} +${Math.round((Date.now() - loadStarted) / 1000)} s: ${load.accepted()} events accepted, ${b}, ${emulator.deliveries.length} messages delivered`;
          fs.appendFileSync(PROGRESS, `${line}\n`);
          process.stderr.write(`chaos: ${line}\n`);
        },
        () => {},
      );
    }, 60_000);
    // Members that die on their own (not killed) are restarted too, and reported.
    const watcher = (async () => {
      while (watching) {
        await sleep(1000);
        crashes.push(...(await stack!.reviveCrashed().catch((err) => [String(err)])));
      }
    })();
    for (;;) {
      await sleep((lo + Math.random() * (hi - lo)) * 1000);
      if (Date.now() >= loadEnds) break;
      const kind = VICTIM_KINDS[Math.floor(Math.random() * VICTIM_KINDS.length)]!;
      const killedAt = Date.now();
      const name = await stack.crash(kind, Math.random(), 2000 + Math.random() * 3000);
      kills.set(name, (kills.get(name) ?? 0) + 1);
      // One line per kill, to line a violation up with what was down at the time.
      fs.appendFileSync(
        KILLS,
        `${new Date(killedAt).toISOString()} ${name} killed, back after ${Date.now() - killedAt} ms\n`,
      );
    }
    const report = await load.stop();
    const loadSeconds = Math.round((Date.now() - loadStarted) / 1000);
    watching = false;
    await watcher;
    crashes.push(...(await stack.reviveCrashed()));

    clearInterval(progressTimer);
    const settleStarted = Date.now();
    const result = await audit({
      pool,
      workspaceId: ws,
      journeyId,
      load: report,
      emulator,
      settleMs: 120_000,
      maxSettleMs: 10 * 60_000,
    });
    const killCount = [...kills.values()].reduce((a, b) => a + b, 0);
    const recoveries = stack.pgRecoveries();
    const fmt = (n: number) => n.toLocaleString('en-US');
    const byVictim = [...kills].map(([k, n]) => `${k} ${n}`).join(', ');
    const line =
      `chaos: ${fmt(result.events)} events, ${fmt(killCount)} kills, ${fmt(result.lost.length)} lost, ` +
      `${fmt(result.duplicates.length)} duplicates, ${fmt(result.stuck.length)} stuck ` +
      `(${opts.minutes} min at ${opts.eventsPerSecond} events/s; kills: ${byVictim || 'none'}; ` +
      `PostgreSQL crash recoveries ${recoveries}; ${report.shoppers.length} shoppers, ${emulator.deliveries.length} messages, ` +
      `${report.retries} client retries; ${result.wrong.length} wrong paths, ${result.late} deliveries after the timeout, ${crashes.length} unplanned exits; ` +
      `load ${loadSeconds} s, settle ${Math.round((Date.now() - settleStarted) / 1000)} s, ` +
      `all ${Math.round((Date.now() - started) / 1000)} s)`;
    console.log(line);
    fs.mkdirSync(DATA, { recursive: true });
    fs.appendFileSync(SUMMARY, `${new Date().toISOString()} ${line}\n`);
    const violations = [
      ...result.lost.map((v) => `lost: ${v}`),
      ...result.duplicates.map((v) => `duplicate: ${v}`),
      ...result.stuck.map((v) => `stuck: ${v}`),
      ...result.wrong.map((v) => `wrong path: ${v}`),
      ...report.bad.map((v) => `bad answer: ${v}`),
      ...crashes.map((v) => `exited without being killed: ${v}`),
    ];
    if ((kills.get('postgres') ?? 0) > recoveries)
      violations.push(
        `PostgreSQL was killed ${kills.get('postgres')} times but recovered ${recoveries} times`,
      );
    return { line, violations };
  } finally {
    clearInterval(progressTimer);
    await within('stack stop', stack?.stop() ?? Promise.resolve(), 60_000);
    await within('pool close', handle?.close() ?? Promise.resolve(), 5000);
    await within('emulator close', emulator.close());
    scratch.remove();
  }
}

/** Routing backlog and runs by state, for the progress log. */
async function backlog(pool: DbHandle['pool'], ws: string): Promise<string> {
  const { rows } = await pool.query(
    `select (select count(*) from event_outbox where workspace_id = $1 and done_at is null)::int as outbox,
            count(*) filter (where status in ('running', 'waiting'))::int as active,
            count(*) filter (where status = 'completed')::int as completed
       from journey_runs where workspace_id = $1`,
    [ws],
  );
  const r = rows[0] ?? {};
  return `outbox backlog ${r.outbox}, runs active ${r.active}, completed ${r.completed}`;
}
