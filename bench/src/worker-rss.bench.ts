import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJourney, publishVersion } from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { compileJourney, graphBuilder } from '@hourglass/nodes';
import { buildWorkflowBundle, journeyWorkflowId, startJourneyRun } from '@hourglass/workflows';
import { Client, Connection } from '@temporalio/client';
import {
  cpuSeconds,
  root,
  rssBreakdownMb,
  rssMb,
  startWorkerProcess,
  takeHeapSnapshot,
  type WorkerProcess,
} from './worker-process';

// Worker memory with parked runs: RSS of the worker process (workflows/src/main.ts, production settings:
// a workflow cache of 500) once N runs of "trigger → delay 30 days → exit" are parked on their timer.
// The ratio large / small shows whether parked runs cost memory (they should not: beyond the cache they
// live in Temporal's history, not in the worker). Runs are started from here (the Temporal client, as the
// dispatcher does) with BENCH_START_CONCURRENCY starts in flight; parking is then bound by the worker's
// workflow and activity tasks (each run: start, plan load, park), and the CPU shares printed per phase
// say where the time goes. Starts are paced at BENCH_FEED_RATE runs/s, the same for every count: how
// much memory glibc keeps after a burst depends on how hard the burst was, so a fair comparison gives
// the 1k and the 50k phases the same load; RSS is then sampled once it has stopped moving (`_idle`),
// and again after a full garbage collection in the worker's threads (bench/src/worker-gc.mjs): an idle
// V8 heap keeps the garbage of the busy phase, by an amount that depends on when its last major GC
// happened, not on how many runs are parked, so the targets apply to the figure after the collection.
// Prints JSON figures on stdout, progress on stderr.
// Run: DATABASE_URL=… TEMPORAL_ADDRESS=… node --import tsx bench/src/worker-rss.bench.ts
//   BENCH_PARKED: the counts, ascending, the first being the baseline (default 1000,10000; the targets
//   are 1.2 × the baseline up to 10k parked runs and 1.3 × beyond, e.g. BENCH_PARKED=1000,10000,50000
//   adds parked_50k, about 17 minutes more at the default rate), BENCH_START_CONCURRENCY (128),
//   BENCH_FEED_RATE (runs started per second, default 50; lower it if the worker cannot keep up: the
//   report says how far behind it was)
//   BENCH_WARMUP: runs that finish at once, started at the feed rate before the first count (default
//   2000), so the baseline is a worker that has already worked (code compiled, allocator and caches
//   grown) like every later count, not a young one
//   BENCH_CONTROL=finished: the same starts of runs that wake after a minute and finish (figures
//   worker.rss_mb.finished_<n>): what the work of the runs leaves in the worker without any parked run.
//   BENCH_HEAP_SNAPSHOTS=<dir>: also write a heap snapshot of the worker at each count into <dir>
//   (compare them in Chrome DevTools' Memory tab, "Comparison" view, to see what parked runs retain;
//   writing one leaves the worker's RSS raised by hundreds of MB, so RSS ratios count only without it).

const counts = (process.env.BENCH_PARKED ?? '1000,10000').split(',').map(Number);
const startConcurrency = Number(process.env.BENCH_START_CONCURRENCY ?? 128);
const feedRate = Number(process.env.BENCH_FEED_RATE ?? 50);
const warmup = Number(process.env.BENCH_WARMUP ?? 2000);
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS;
// The control: the same starts, each run waking after a minute and finishing instead of staying parked.
const control = process.env.BENCH_CONTROL === 'finished';
const kind = control ? 'finished' : 'parked';
const progress = (msg: string) => process.stderr.write(`worker-rss bench: ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const t = await freshDatabase('bench_worker_rss');
const bundlePath = path.join(os.tmpdir(), `hourglass-bench-bundle-${process.pid}.js`);
let worker: WorkerProcess | undefined;
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  const customerIds = (
    await t.pool.query(
      `insert into customers (workspace_id, external_id, email, first_name, timezone)
       select $1, 'bench-' || g, 'bench' || g || '@example.com', 'Ada', 'UTC'
       from generate_series(1, 500) g returning id`,
      [ws.id],
    )
  ).rows.map((r) => r.id as string);
  const graph = graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'bench.start', filter: null },
      scope: 'customer',
      entry: { rule: 'every_time' },
    })
    .node('nap', 'delay', { mode: 'duration', amount: control ? 1 : 30, unit: control ? 'minutes' : 'days' })
    .node('done', 'exit')
    .edge('trigger', 'nap')
    .edge('nap', 'done')
    .build();
  const publish = async (name: string, g: typeof graph) => {
    const compiled = compileJourney(g);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const journey = await createJourney(t.db, ws.id, { name });
    const { version } = await publishVersion(t.db, ws.id, journey.id, {
      graph: g,
      plan: compiled.plan,
      planHash: compiled.plan.hash,
    });
    return { id: journey.id, version };
  };
  const journey = await publish('bench-parked', graph);
  // The warm-up's runs go through the same start, plan load and step records, then end.
  const warm = await publish(
    'bench-warmup',
    graphBuilder()
      .node('trigger', 'trigger', {
        start: { kind: 'event', eventType: 'bench.warm', filter: null },
        scope: 'customer',
        entry: { rule: 'every_time' },
      })
      .node('done', 'exit')
      .edge('trigger', 'done')
      .build(),
  );

  // Bundled once here, so the worker starts without webpack in its own heap.
  fs.writeFileSync(bundlePath, (await buildWorkflowBundle()).code);
  const taskQueue = `bench-park-${randomUUID().slice(0, 8)}`;
  worker = await startWorkerProcess({
    DATABASE_URL: t.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    HOURGLASS_WORKFLOW_BUNDLE: bundlePath,
    HOURGLASS_JITTER_MS: '0',
    NODE_OPTIONS: [
      process.env.NODE_OPTIONS ?? '',
      `--import ${path.join(root, 'bench/src/worker-gc.mjs')} --expose-gc`,
      snapshotDir ? `--heapsnapshot-signal=SIGWINCH --diagnostic-dir=${snapshotDir}` : '',
    ]
      .join(' ')
      .trim(),
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });

  const start = async (customerId: string, j = journey) => {
    const trigger = {
      id: randomUUID(),
      type: j === journey ? 'bench.start' : 'bench.warm',
      occurredAt: new Date().toISOString(),
      orderId: null,
      properties: {},
    };
    const input = {
      workspaceId: ws.id,
      journeyId: j.id,
      version: j.version,
      customerId,
      orderId: null,
      trigger,
    };
    const workflowId = journeyWorkflowId({
      workspaceId: ws.id,
      journeyId: j.id,
      customerId,
      orderId: null,
      scope: 'customer',
      entry: 'every_time',
      entryKey: trigger.id,
    });
    const out = await startJourneyRun(client, { taskQueue, workflowId, entry: 'every_time', input });
    if (!out.started) throw new Error(`not started: ${out.reason}`);
  };
  const runsIn = async (journeyId: string, statuses: string[]) =>
    Number(
      (
        await t.pool.query(
          'select count(*)::int as n from journey_runs where journey_id = $1 and status = any($2)',
          [journeyId, statuses],
        )
      ).rows[0].n,
    );
  const parkedCount = () => runsIn(journey.id, control ? ['completed', 'exited'] : ['waiting']);
  let started = 0;
  const park = async (total: number) => {
    const before = started;
    const t0 = performance.now();
    const cpu0 = { bench: process.cpuUsage(), worker: cpuSeconds(worker!.pid), machine: machineCpu() };
    let startsDone = 0;
    const starting = paced(total - started, feedRate, startConcurrency, () =>
      start(customerIds[started++ % customerIds.length]!),
    ).then(() => {
      startsDone = (performance.now() - t0) / 1000;
    });
    while ((await parkedCount()) < total) await sleep(500);
    await starting;
    const secs = (performance.now() - t0) / 1000;
    const bench = process.cpuUsage(cpu0.bench);
    const machine = machineCpu();
    const share = (s: number) => `${Math.round((s / secs) * 100)}%`;
    progress(
      `${total} runs ${kind} in ${round(secs, 1)} s (${round((total - before) / secs, 1)} runs/s; ` +
        `starts done after ${round(startsDone, 1)} s); cpu: worker ${share(cpuSeconds(worker!.pid) - cpu0.worker)}, ` +
        `this process ${share((bench.user + bench.system) / 1e6)}, machine ${round(
          ((machine.busy - cpu0.machine.busy) / (machine.total - cpu0.machine.total)) * 100,
          0,
        )}% of ${os.cpus().length} cores`,
    );
    lag.push(round(secs - (total - before) / feedRate, 1));
    const idle = await settledRss(worker!.pid);
    // The idle figure still holds the garbage of the busy phase (V8 collects it at its next major GC,
    // which only more work brings); after a full collection in both threads RSS is what the worker holds.
    process.kill(worker!.pid, 'SIGURG');
    await sleep(2000);
    const collected = await settledRss(worker!.pid);
    const parts = rssBreakdownMb(worker!.pid);
    progress(
      `${total} ${kind}: RSS idle ${idle} MB, after a full GC ${collected} MB ` +
        `(anonymous ${parts.anon} MB, file-backed ${parts.file} MB)`,
    );
    if (snapshotDir) progress(`heap snapshot: ${await takeHeapSnapshot(worker!.pid, snapshotDir)}`);
    return { idle, collected };
  };
  /** Seconds each phase took beyond its paced start time (how far the worker fell behind the feed). */
  const lag: number[] = [];
  const rss: number[] = [];
  const idleRss: number[] = [];
  if (warmup > 0) {
    const t0 = performance.now();
    let i = 0;
    await paced(warmup, feedRate, startConcurrency, () =>
      start(customerIds[i++ % customerIds.length]!, warm),
    );
    while ((await runsIn(warm.id, ['completed', 'exited'])) < warmup) await sleep(500);
    progress(`warm-up: ${warmup} runs finished in ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  for (const n of counts) {
    const { idle, collected } = await park(n);
    rss.push(collected);
    idleRss.push(idle);
  }
  await connection.close();
  // Stopped before the report: the runner reads stdout and stderr as one stream, and the worker logs on
  // shutdown.
  await worker.stop();
  const label = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
  const baseline = rss[0]!;
  console.log(
    JSON.stringify(
      {
        benchmark: 'worker-rss',
        figures: [
          ...counts.map((n, i) => ({
            name: `worker.rss_mb.${kind}_${label(n)}`,
            value: rss[i],
            unit: 'MB',
            ...(i === 0
              ? {}
              : { baseline, ratio: round(rss[i]! / baseline), target: n > 10_000 ? 1.3 : 1.2 }),
          })),
          // Before the collection: how much garbage the busy phase left, for comparison (no target).
          ...counts.map((n, i) => ({
            name: `worker.rss_mb.${kind}_${label(n)}_idle`,
            value: idleRss[i],
            unit: 'MB',
            ...(i === 0 ? {} : { baseline: idleRss[0], ratio: round(idleRss[i]! / idleRss[0]!) }),
          })),
          { name: 'worker.rss.feed_rate', value: feedRate, unit: 'runs/s' },
          { name: 'worker.rss.warmup_runs', value: warmup },
          { name: 'worker.rss.max_lag', value: Math.max(...lag), unit: 's' },
        ],
      },
      null,
      2,
    ),
  );
} finally {
  await worker?.stop();
  fs.rmSync(bundlePath, { force: true });
  await t.drop();
}

/** Calls `fn` n times, the i-th no earlier than i / rate seconds from now, with at most `width` in flight. */
async function paced(n: number, rate: number, width: number, fn: () => Promise<unknown>) {
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i / rate) * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= width) await Promise.race(inFlight);
    const p: Promise<unknown> = fn().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/**
 * The worker's RSS once it has stopped moving (the last five samples, two seconds apart, within 2 % of
 * each other; at most two minutes): their median.
 */
async function settledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  const until = Date.now() + 120_000;
  for (;;) {
    samples.push(rssMb(pid));
    const last = samples.slice(-5);
    const spread = Math.max(...last) - Math.min(...last);
    if ((last.length === 5 && spread <= 0.02 * Math.min(...last)) || Date.now() > until)
      return last.sort((a, b) => a - b)[Math.floor(last.length / 2)]!;
    await sleep(2000);
  }
}

/** Busy and total CPU ticks of the whole machine, from /proc/stat (Linux). */
function machineCpu(): { busy: number; total: number } {
  const fields = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}
