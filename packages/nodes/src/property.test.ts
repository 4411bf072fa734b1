import { Plan } from '@hourglass/journey';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeFixtures } from './fixtures';
import { builtinNodes, compileJourney } from './registry';

const kinds = [...builtinNodes.map((d) => d.kind), 'unknown_kind', ''];
const ids = fc.oneof(fc.constantFrom('t', 'a', 'b', 'c', 'd', 'e', 'x#1', ''), fc.string({ maxLength: 6 }));

// Hostile leaves: non-JSON values zod and JSON.stringify would choke on.
const hostile = fc.oneof(
  fc.constant(undefined),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.bigInt(),
  fc.date(),
);
const deepConfig = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue(),
    hostile,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const config = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...Object.values(nodeFixtures).flat()),
  fc.dictionary(fc.string({ maxLength: 8 }), deepConfig, { maxKeys: 4 }),
  deepConfig,
);

const node = fc.record({
  id: ids,
  type: fc.constantFrom(...kinds),
  position: fc.record({ x: fc.double(), y: fc.double() }),
  data: fc.record({ config, version: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }) }),
});
const edge = fc.record({
  id: fc.string({ maxLength: 4 }),
  source: ids,
  sourceHandle: fc.option(fc.constantFrom('out', 'happened', 'timed_out', 'else', 'a', 'b', 'nope'), {
    nil: null,
  }),
  target: ids,
});
const graph = fc.oneof(
  fc.record({ nodes: fc.array(node, { maxLength: 25 }), edges: fc.array(edge, { maxLength: 40 }) }),
  fc.anything(),
  fc.record({
    nodes: fc.array(fc.anything(), { maxLength: 5 }),
    edges: fc.array(fc.anything(), { maxLength: 5 }),
  }),
);

describe('compileJourney on random and hostile graphs', () => {
  it('never throws, always answers, and is deterministic', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const a = compileJourney(g);
        const b = compileJourney(g);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        if (a.ok) {
          expect(a.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
          expect(a.plan.steps[a.plan.startStep]).toBeDefined();
          expect(Plan.parse(a.plan)).toEqual(a.plan);
        } else {
          expect(a.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
        expect(a.diagnostics.some((d) => d.code === 'internal.error')).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('survives cyclic configs, huge graphs and deep nesting', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const many = Array.from({ length: 12_000 }, (_, i) => ({
      id: `n${i}`,
      type: 'exit',
      position: { x: 0, y: 0 },
      data: { config: {} },
    }));
    for (const g of [
      {
        nodes: [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { config: cyclic } }],
        edges: [],
      },
      {
        nodes: [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { config: { deep } } }],
        edges: [],
      },
      { nodes: many, edges: [] },
    ]) {
      const r = compileJourney(g);
      expect(r.ok).toBe(false);
      expect(r.diagnostics.some((d) => d.code === 'internal.error')).toBe(false);
    }
  });

  it('compiles random valid chains and cycles-through-delays to schema-valid plans', () => {
    const chainKinds = [
      'delay',
      'send_email',
      'ab_split',
      'branch',
      'wait_for_event',
      'update_customer',
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...chainKinds), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (seq, loop) => {
          const nodes = [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { config: {} } }];
          const edges: Array<{ id: string; source: string; sourceHandle: string; target: string }> = [];
          let prev = 't';
          let port = 'out';
          seq.forEach((kind, i) => {
            const id = `n${i}`;
            nodes.push({
              id,
              type: kind,
              position: { x: i, y: 0 },
              data: { config: nodeFixtures[kind][0] ?? {} },
            });
            edges.push({ id: `e${i}`, source: prev, sourceHandle: port, target: id });
            prev = id;
            port = {
              delay: 'out',
              send_email: 'out',
              ab_split: 'a',
              branch: 'else',
              wait_for_event: 'happened',
              update_customer: 'out',
            }[kind];
          });
          if (loop) {
            nodes.push({ id: 'w', type: 'delay', position: { x: 0, y: 0 }, data: { config: {} } });
            edges.push(
              { id: 'back1', source: prev, sourceHandle: port, target: 'w' },
              { id: 'back2', source: 'w', sourceHandle: 'out', target: 'n0' },
            );
          }
          const r = compileJourney({ nodes, edges });
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          if (r.ok) expect(Plan.parse(r.plan)).toEqual(r.plan);
        },
      ),
      { numRuns: 200 },
    );
  });
});
