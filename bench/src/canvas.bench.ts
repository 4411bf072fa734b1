// Canvas benchmark in Chromium: time to first render of a 500-node journey and frame times while dragging
// a node. Prints JSON. Needs web/dist built. Run: node_modules/.bin/tsx bench/src/canvas.bench.ts
// The API is stubbed with request interception so the figure is the canvas alone, not the network.
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

  // Drag a visible node for ~1 s while recording frame intervals with requestAnimationFrame.
  const node = page.locator('.react-flow__node').nth(Math.min(3, rendered - 1));
  const box = (await node.boundingBox())!;
  // A string, not a function: tsx's name-keeping helper does not exist inside the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    const tick = (t) => { window.__frames.push(t); if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(box.x + 40 + i * 4, box.y + 20 + Math.sin(i / 6) * 40);
  }
  await page.mouse.up();
  const frames = (await page.evaluate(
    '(() => { window.__stop = true; return window.__frames; })()',
  )) as number[];
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!);
  const figures = [
    { name: 'canvas.first_render.ms.nodes_500', value: firstRenderMs, unit: 'ms' },
    { name: 'canvas.nodes_in_dom.nodes_500', value: rendered, unit: 'nodes' },
    { name: 'canvas.drag.frame_ms.p50', value: round(pct(intervals, 0.5)), unit: 'ms', target: 16 },
    { name: 'canvas.drag.frame_ms.p95', value: round(pct(intervals, 0.95)), unit: 'ms', target: 16 },
    { name: 'canvas.drag.frame_ms.max', value: round(Math.max(...intervals)), unit: 'ms' },
    { name: 'canvas.drag.frames', value: intervals.length, unit: 'frames' },
  ];
  console.log(JSON.stringify({ bench: 'canvas', figures }, null, 2));
} finally {
  await browser.close();
  server.close();
}
