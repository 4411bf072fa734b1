// Compiler benchmark: prints JSON figures. Run: node_modules/.bin/tsx bench/src/compile.ts
import type { Graph } from '@hourglass/journey';
import { compileJourney } from '@hourglass/nodes';

const KINDS = [
  'delay',
  'send_email',
  'branch',
  'wait_for_event',
  'send_sms',
  'ab_split',
  'update_customer',
] as const;
const CONFIG: Record<string, Record<string, unknown>> = {
  delay: { amount: 2, unit: 'days' },
  send_email: { subject: 'Hi {{ customer.firstName }}', body: 'Your {{ order.items[0].title }} shipped.' },
  branch: {},
  wait_for_event: { eventType: 'order.delivered' },
  send_sms: { text: 'Order {{ order.number }} is out for delivery' },
  ab_split: {},
  update_customer: { addTags: ['engaged'] },
};
const SECOND_PORT: Record<string, string> = { branch: 'else', wait_for_event: 'timed_out', ab_split: 'b' };
const FIRST_PORT: Record<string, string> = {
  branch: 'big_first_order',
  wait_for_event: 'happened',
  ab_split: 'a',
};

/** A realistic tree-ish journey: a main chain; multi-output nodes send their second port to an exit. */
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
    nodes.push({ id, type: kind, position: { x: i * 10, y: 0 }, data: { config: CONFIG[kind] ?? {} } });
    edges.push({ id: `e${i}`, source: prev, sourceHandle: port, target: id });
    const second = SECOND_PORT[kind];
    if (second && nodes.length < size - 1) {
      nodes.push({ id: `x${i}`, type: 'exit', position: { x: i * 10, y: 50 }, data: { config: {} } });
      edges.push({ id: `ex${i}`, source: id, sourceHandle: second, target: `x${i}` });
    }
    prev = id;
    port = FIRST_PORT[kind] ?? 'out';
  }
  nodes.push({ id: 'end', type: 'exit', position: { x: 0, y: 0 }, data: { config: {} } });
  edges.push({ id: 'e_end', source: prev, sourceHandle: port, target: 'end' });
  return { nodes, edges };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const figures: Array<{ name: string; value: number; unit: string; target?: number }> = [];
for (const size of [10, 100, 1000, 5000]) {
  const graph = makeGraph(size);
  const first = compileJourney(graph);
  if (!first.ok)
    throw new Error(`bench graph ${size} did not compile: ${JSON.stringify(first.diagnostics.slice(0, 3))}`);
  const runs = size >= 5000 ? 7 : size >= 1000 ? 15 : 50;
  for (let i = 0; i < 3; i++) compileJourney(graph); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    compileJourney(graph);
    times.push(performance.now() - t0);
  }
  figures.push({
    name: `compile.ms.nodes_${size}`,
    value: Math.round(median(times) * 100) / 100,
    unit: 'ms',
    ...(size === 1000 ? { target: 50 } : {}),
  });
}
const per = (n: number) => figures.find((f) => f.name === `compile.ms.nodes_${n}`)!.value / n;
figures.push({
  name: 'compile.growth.ratio_5000_vs_1000_per_node',
  value: Math.round((per(5000) / per(1000)) * 100) / 100,
  unit: 'x',
  target: 2,
});
console.log(JSON.stringify({ figures }, null, 2));
