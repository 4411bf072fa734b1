// Canvas benchmark in Chromium: time to first render of a 500-node journey and the work per frame while
// dragging a node. Prints JSON. Needs web/dist built. Run: node_modules/.bin/tsx bench/src/canvas.bench.ts
// The API is stubbed with request interception so the figure is the canvas alone, not the network.
//
// canvas.drag_frame_ms (p95; also p50, max): the renderer main thread's busy time per animation frame of
// the drag, from a Chromium trace (DevTools Protocol tracing). Chromium's "AnimationFrame" span starts
// with the first task that led to the frame (here the pointermove dispatch: d3-drag, the React Flow
// store, React's render and commit) and ends after its rendering update (style, layout, paint, commit to
// the compositor); the figure is the wall time of the main-thread tasks inside that span, so waiting for
// vsync is not counted. canvas.drag_frame_cpu_ms is the same work in thread CPU time, which leaves out
// preemption by other processes on a busy machine. Raster and compositing run on other threads.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '@hourglass/journey';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../web/dist');
const KINDS = ['delay', 'send_email', 'branch', 'wait_for_event', 'send_sms', 'ab_split', 'update_customer'];
const CONFIG: Record<string, Record<string, unknown>> = {
  delay: { amount: 2, unit: 'days' },
  send_email: { subject: 'Hi {{ customer.firstName }}', body: 'Your {{ order.items[0].title }} shipped.' },
  wait_for_event: { eventType: 'order.delivered' },
  send_sms: { text: 'Order {{ order.number }} is out for delivery' },
  update_customer: { addTags: ['engaged'] },
};
const FIRST: Record<string, string> = {
  branch: 'big_first_order',
  wait_for_event: 'happened',
  ab_split: 'a',
};
const SECOND: Record<string, string> = { branch: 'else', wait_for_event: 'timed_out', ab_split: 'b' };

/** A main chain; multi-output nodes send their second port to an exit (like compile.bench). */
function makeGraph(size: number): Graph {
  const nodes: Graph['nodes'] = [
    { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { config: {} } },
  ];
  const edges: Graph['edges'] = [];
  let prev = 't';
  let port = 'out';
  for (let i = 0; nodes.length < size - 1; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const id = `n${i}`;
    nodes.push({ id, type: kind, position: { x: 0, y: 0 }, data: { config: CONFIG[kind] ?? {} } });
    edges.push({ id: `e${i}`, source: prev, sourceHandle: port, target: id });
    const second = SECOND[kind];
    if (second && nodes.length < size - 1) {
      nodes.push({ id: `x${i}`, type: 'exit', position: { x: 0, y: 0 }, data: { config: {} } });
      edges.push({ id: `ex${i}`, source: id, sourceHandle: second, target: `x${i}` });
    }
    prev = id;
    port = FIRST[kind] ?? 'out';
  }
  nodes.push({ id: 'end', type: 'exit', position: { x: 0, y: 0 }, data: { config: {} } });
  edges.push({ id: 'e_end', source: prev, sourceHandle: port, target: 'end' });
  return { nodes, edges };
}

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
];

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  id2?: { local?: string };
};

/** Main-thread busy time (wall and CPU, ms) inside each AnimationFrame span of a Chromium trace. */
function frameWork(trace: { traceEvents: TraceEvent[] }) {
  const events = trace.traceEvents;
  const open = new Map<string, TraceEvent>();
  const spans: { pid: number; tid: number; start: number; end: number }[] = [];
  for (const e of events) {
    if (e.name !== 'AnimationFrame' || !e.id2?.local) continue;
    const key = `${e.pid}:${e.id2.local}`;
    if (e.ph === 'b') open.set(key, e);
    else if (e.ph === 'e' && open.has(key)) {
      const b = open.get(key)!;
      open.delete(key);
      spans.push({ pid: b.pid, tid: b.tid, start: b.ts, end: e.ts });
    }
  }
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const span of spans) {
    let w = 0;
    let c = 0;
    for (const task of tasks) {
      if (task.pid !== span.pid || task.tid !== span.tid) continue;
      const overlap = Math.min(task.ts + task.dur!, span.end) - Math.max(task.ts, span.start);
      if (overlap <= 0) continue;
      w += overlap;
      c += task.dur! > 0 ? ((task.tdur ?? task.dur!) * overlap) / task.dur! : 0;
    }
    wall.push(w / 1000);
    cpu.push(c / 1000);
  }
  if (wall.length === 0) throw new Error('the trace holds no animation frames');
  return { wall, cpu };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;
const round = (n: number) => Math.round(n * 100) / 100;

const SIZE = 500;
const id = '00000000-0000-4000-8000-000000000500';
const now = new Date().toISOString();
const journey = {
  id,
  name: `Bench ${SIZE}`,
  description: '',
  status: 'draft',
  draftGraph: makeGraph(SIZE),
  liveVersion: null,
  templateKey: null,
  createdAt: now,
  updatedAt: now,
};
const me = {
  kind: 'session',
  user: { id: '00000000-0000-4000-8000-000000000001', email: 'bench@example.com', name: 'Bench' },
  workspace: { id: '00000000-0000-4000-8000-000000000002', name: 'Bench', slug: 'bench' },
  role: 'owner',
  scopes: ['read', 'write'],
  csrfToken: 'bench',
};

// A tiny static server for web/dist (index.html for client routes).
const { default: serveStatic } = await import('node:fs').then(async (fs) => ({
  default: (url: string) => {
    const file = path.join(dist, url.split('?')[0] ?? '/');
    return fs.existsSync(file) && fs.statSync(file).isFile()
      ? fs.readFileSync(file)
      : fs.readFileSync(path.join(dist, 'index.html'));
  },
}));
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const type = url.endsWith('.js') ? 'text/javascript' : url.endsWith('.css') ? 'text/css' : 'text/html';
  res.writeHead(200, { 'content-type': type }).end(serveStatic(url));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.route('**/v1/**', (route) => {
    const u = new URL(route.request().url());
    const body = u.pathname === '/v1/me' ? me : u.pathname === `/v1/journeys/${id}` ? journey : [];
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await page.goto(`${base}/journeys`); // warm the bundle cache
  await page.waitForSelector('h1');
  const t0 = Date.now();
  await page.evaluate(
    `history.pushState(null, '', '/journeys/${id}'); dispatchEvent(new PopStateEvent('popstate'))`,
  );
  await page.waitForSelector('.react-flow__node');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const firstRenderMs = Date.now() - t0;
  const rendered = await page.locator('.react-flow__node').count();

  // Drag a visible node twice along the same path: the first drag warms the code up, the second (back)
  // runs under a Chromium trace. (Frame intervals from requestAnimationFrame, the figure before, sit at
  // the 60 Hz refresh whenever a frame's work fits in it, so they cannot show the work itself.)
  const node = page.locator('.react-flow__node').nth(Math.min(3, rendered - 1));
  const box = (await node.boundingBox())!;
  const drag = async (from: { x: number; y: number }, dir: 1 | -1) => {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(from.x + dir * i * 4, from.y + Math.sin(i / 6) * 40);
    await page.mouse.up();
    return { x: from.x + dir * 240, y: from.y + Math.sin(10) * 40 };
  };
  const end = await drag({ x: box.x + 40, y: box.y + 20 }, 1);
  const moved = (await node.boundingBox())!;
  if (Math.abs(moved.x - box.x) < 100) throw new Error('the drag did not move the node');
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await drag(end, -1);
  const work = frameWork(JSON.parse((await browser.stopTracing()).toString()));
  const figures = [
    { name: 'canvas.first_render_ms.nodes_500', value: firstRenderMs, unit: 'ms' },
    { name: 'canvas.nodes_in_dom.nodes_500', value: rendered, unit: 'nodes' },
    { name: 'canvas.drag_frame_ms.nodes_500', value: round(pct(work.wall, 0.95)), unit: 'ms', target: 16 },
    { name: 'canvas.drag_frame_ms.p50.nodes_500', value: round(pct(work.wall, 0.5)), unit: 'ms' },
    { name: 'canvas.drag_frame_ms.max.nodes_500', value: round(Math.max(...work.wall)), unit: 'ms' },
    { name: 'canvas.drag_frame_cpu_ms.nodes_500', value: round(pct(work.cpu, 0.95)), unit: 'ms' },
    { name: 'canvas.drag_frames.nodes_500', value: work.wall.length, unit: 'frames' },
  ];
  console.log(JSON.stringify({ bench: 'canvas', figures }, null, 2));
} finally {
  await browser.close();
  server.close();
}
