import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  createApiKey,
  createDb,
  createJourney,
  publishVersion,
  updateWorkspaceSettings,
  WorkspaceSettings,
} from '@hourglass/db';
import { freshDatabase, seedWorkspace } from '@hourglass/db/testing';
import { compileJourney, graphBuilder } from '@hourglass/nodes';
import { buildApp, createTemporalClient, startDispatcher } from '@hourglass/server';
import { temporalConfigFromEnv } from '@hourglass/workflows';
import { percentiles } from './load';
import { cpuSeconds, machineCpuSeconds, startWorkerProcess, type WorkerProcess } from './worker-process';

// Event to first send, end to end: an open-loop generator POSTs order.placed events to the real API
// (buildApp over HTTP, as ingest.bench does) at a fixed rate; the outbox dispatcher (main.ts's defaults,
// poked on accept) starts the Temporal run; the worker (workflows/src/main.ts in its own process, default
// tuning) runs a published journey trigger → transactional email → exit, and the channels outbox provider
// records the message. Latency = the message row's created_at (PostgreSQL's clock when the send reserves
// it, just before the provider call) minus the wall-clock time just before the POST (same host, same
// clock). Open loop: events are sent on schedule whether or not earlier ones have finished, so a backlog
// shows up as latency instead of slowing the generator. Each rate runs after a warm-up and starts only once the previous one has drained.
// Prints JSON figures on stdout, progress on stderr.
// Run: DATABASE_URL=… TEMPORAL_ADDRESS=… node --import tsx bench/src/latency.bench.ts
//   BENCH_RATES (events/s, default 10,50,100), BENCH_SECONDS (per rate, default 20),
//   BENCH_WARMUP_SECONDS (at 10/s, default 5), BENCH_DRAIN_SECONDS (max wait for the last sends, 300)

const rates = (process.env.BENCH_RATES ?? '10,50,100').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const drainSeconds = Number(process.env.BENCH_DRAIN_SECONDS ?? 300);
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const progress = (msg: string) => process.stderr.write(`latency bench: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wall-clock ms with sub-ms resolution, comparable with PostgreSQL timestamps on this host. */
const wallMs = () => performance.timeOrigin + performance.now();

const t = await freshDatabase('bench_latency');
let worker: WorkerProcess | undefined;
try {
  const ws = await seedWorkspace(t.db, 'Bench');
  const key = `hg_bench_${randomUUID().replaceAll('-', '')}`;
  await createApiKey(t.db, ws.id, {
    name: 'bench',
    prefix: key.slice(0, 10),
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: ['ingest'],
  });
  // No quiet hours: the figure is the engine's latency, not a deferral by policy.
  await updateWorkspaceSettings(
    t.db,
    ws.id,
    WorkspaceSettings.parse({ quietHours: { start: '00:00', end: '00:00' } }),
  );
  const graph = graphBuilder()
    .node('trigger', 'trigger', {})
    .node('confirm', 'send_email', {
      subject: 'Order {{ order.externalId }} confirmed',
      body: 'Thanks {{ customer.firstName }}',
      transactional: true,
    })
    .node('done', 'exit')
    .edge('trigger', 'confirm')
    .edge('confirm', 'done')
    .build();
  const compiled = compileJourney(graph);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const journey = await createJourney(t.db, ws.id, { name: 'bench-latency' });
  await publishVersion(t.db, ws.id, journey.id, {
    graph,
    plan: compiled.plan,
    planHash: compiled.plan.hash,
  });

  const taskQueue = `bench-latency-${randomUUID().slice(0, 8)}`;
  progress('starting the worker');
  worker = await startWorkerProcess({
    DATABASE_URL: t.url,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  // The API process as main.ts wires it: a pool of 20, the dispatcher poked on every accept.
  const handle = createDb(t.url, { max: 20, applicationName: 'bench-api' });
  const { client, connection } = createTemporalClient(
    temporalConfigFromEnv({ TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue }),
  );
  const temporal = { client, taskQueue };
  const silent = { info() {}, warn() {}, error() {} };
  const dispatcher = startDispatcher({ db: handle.db, temporal, log: silent });
  const app = await buildApp({
    db: handle.db,
    temporal,
    onEventsAccepted: () => dispatcher.poke(),
    pingDatabase: async () => {},
    pingTemporal: async () => {},
    // The default limit (6,000 a minute per key) is exactly 100/s; the figure is not about it.
    rateLimit: { max: 1e9, timeWindowMs: 60_000 },
  });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  let seq = 0;
  const event = (prefix: string) => {
    const n = ++seq;
    return {
      id: `${prefix}_${n}`,
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      customer: {
        externalId: `c_${prefix}_${n}`,
        email: `c${n}@example.com`,
        firstName: 'Ada',
        timezone: 'UTC',
        consent: { email: 'subscribed', sms: 'subscribed' },
      },
      order: { externalId: `o_${prefix}_${n}`, total: 42, currency: 'USD', items: [] },
    };
  };

  /** One rate: open-loop POSTs for `secs`, then waits until every accepted event has its message. */
  const phase = async (label: string, rate: number, secs: number) => {
    const total = Math.round(rate * secs);
    const postedAt = new Map<string, number>();
    const acceptMs: number[] = [];
    let rejected = 0;
    const inFlight: Promise<void>[] = [];
    const cpu0 = process.cpuUsage();
    const workerCpu0 = cpuSeconds(worker!.pid);
    const machineCpu0 = machineCpuSeconds();
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const e = event(label);
      const at = wallMs();
      inFlight.push(
        fetch(`${apiUrl}/v1/events`, {
          method: 'POST',
          body: JSON.stringify(e),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        })
          .then(async (res) => {
            await res.arrayBuffer();
            if (res.status >= 300) rejected++;
            else {
              postedAt.set(e.id, at);
              acceptMs.push(wallMs() - at);
            }
          })
          .catch(() => {
            rejected++;
          }),
      );
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    await Promise.all(inFlight);
    const prefix = `${label}\\_%`;
    const sent = async () =>
      Number(
        (
          await t.pool.query(
            `select count(*)::int as n from messages m join journey_runs r on r.id = m.run_id
             where r.trigger_event_id like $1 and m.sent_at is not null`,
            [prefix],
          )
        ).rows[0].n,
      );
    const deadline = Date.now() + drainSeconds * 1000;
    while ((await sent()) < postedAt.size && Date.now() < deadline) await sleep(200);
    // CPU share (100 = one core) of the API process (API + dispatcher + this generator), of the worker,
    // of the whole machine (cores × 100 when saturated), and of everything else (the Temporal server,
    // PostgreSQL, the kernel's networking).
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const share = (seconds: number) => Math.round((seconds / wallS) * 100);
    const api = share((cpu.user + cpu.system) / 1e6);
    const workerShare = share(cpuSeconds(worker!.pid) - workerCpu0);
    const machine = share(machineCpuSeconds() - machineCpu0);
    const cpuPercent = {
      api,
      worker: workerShare,
      machine,
      machineCapacity: os.cpus().length * 100,
      rest: Math.max(0, machine - api - workerShare),
    };
    // created_at is PostgreSQL's clock at the insert that reserves the message, right before the provider
    // call (the outbox provider answers in process; status 'sent' follows in the same activity). sent_at
    // is not used: it holds the workflow's time, which is when the workflow task began, not the send.
    const rows = (
      await t.pool.query(
        `select r.trigger_event_id as id,
                extract(epoch from e.received_at) * 1000 as stored,
                extract(epoch from r.started_at) * 1000 as run_started,
                extract(epoch from e.routed_at) * 1000 as routed,
                extract(epoch from m.created_at) * 1000 as message
         from messages m
         join journey_runs r on r.id = m.run_id
         join events e on e.workspace_id = r.workspace_id and e.id = r.trigger_event_id
         where r.trigger_event_id like $1 and m.sent_at is not null`,
        [prefix],
      )
    ).rows as Array<Record<string, string | null>>;
    const since = (col: string) =>
      percentiles(
        rows.flatMap((r) => (r[col] == null ? [] : [Number(r[col]) - postedAt.get(r.id as string)!])),
      );
    // An accepted event still without its send when the drain window closed counts with the time it had
    // waited by then: a lower bound, so a backlog cannot make the percentiles look better.
    const giveUpAt = wallMs();
    const seen = new Set(rows.map((r) => r.id as string));
    const waited = [...postedAt].flatMap(([id, at]) => (seen.has(id) ? [] : [giveUpAt - at]));
    const missing = waited.length;
    const latency = percentiles([
      ...rows.map((r) => Number(r.message) - postedAt.get(r.id as string)!),
      ...waited,
    ]);
    progress(
      `${label}: ${rate}/s for ${secs}s (sent over ${sendSeconds.toFixed(1)} s), ${rows.length} sends, ` +
        `p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms, missing ${missing}, ` +
        `rejected ${rejected}, cpu api ${cpuPercent.api}% worker ${cpuPercent.worker}% ` +
        `machine ${cpuPercent.machine}/${cpuPercent.machineCapacity}%`,
    );
    return {
      rate,
      events: total,
      sends: rows.length,
      missing,
      rejected,
      percentilesAreLowerBounds: missing > 0,
      latencyMs: latency,
      cpuPercent,
      // Where the time goes: percentiles of each milestone, measured from the POST. runStarted is the
      // worker's first activity (it creates the run row); routed is set after the dispatcher's start.
      milestonesMs: {
        accepted: percentiles(acceptMs),
        stored: since('stored'),
        runStarted: since('run_started'),
        routed: since('routed'),
        message: latency,
      },
    };
  };

  progress(`warm-up: 10/s for ${warmupSeconds}s`);
  await phase('warmup', 10, warmupSeconds);
  const results = [];
  for (const rate of rates) results.push(await phase(`rate${rate}`, rate, seconds));

  await app.close();
  await dispatcher.stop();
  await connection.close().catch(() => {});
  await worker.stop();
  await handle.close();

  const figures = results.flatMap((r) => [
    {
      name: `latency.event_to_first_send.p50.rate_${r.rate}`,
      value: r.latencyMs.p50,
      unit: 'ms',
    },
    {
      name: `latency.event_to_first_send.p99.rate_${r.rate}`,
      value: r.latencyMs.p99,
      unit: 'ms',
      ...(r.rate === 50 ? { target: 250 } : {}),
    },
    // Only when some events never got their send within the drain window (the percentiles above are
    // then lower bounds) or were rejected by the API.
    ...(r.missing + r.rejected > 0
      ? [
          {
            name: `latency.event_to_first_send.unfinished.rate_${r.rate}`,
            value: r.missing + r.rejected,
            unit: 'events',
          },
        ]
      : []),
  ]);
  console.log(
    JSON.stringify({ benchmark: 'latency', seconds, warmupSeconds, figures, phases: results }, null, 2),
  );
} finally {
  await worker?.stop();
  await t.drop();
}
