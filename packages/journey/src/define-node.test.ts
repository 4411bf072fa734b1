import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileJourney } from './compile';
import { cyclicComponents } from './cycles';
import { createRegistry, defineNode } from './define-node';

// A minimal registry so the compiler can be tested without the built-in nodes package.
const start = defineNode({
  kind: 'start',
  version: 1,
  label: 'Start',
  description: '',
  category: 'trigger',
  config: z.object({}),
  ports: [{ id: 'out', label: 'Out', required: true }],
  compile: (_c, ctx) => ({
    trigger: {
      trigger: { kind: 'event', eventType: 'x', filter: null },
      scope: 'customer',
      entry: { rule: 'every_time' },
      exits: [],
      goal: null,
      maxStepVisits: 10,
      start: ctx.port('out'),
    },
  }),
});
// v2 renamed `seconds` to `ms`; the migration keeps v1 graphs compiling.
const wait = defineNode({
  kind: 'wait',
  version: 2,
  label: 'Wait',
  description: '',
  category: 'timing',
  config: z.object({ ms: z.number().int().min(0).default(1000) }),
  ports: [{ id: 'out', label: 'Out' }],
  migrations: { 1: (c) => ({ ms: Number(c.seconds ?? 0) * 1000 }) },
  compile: (c, ctx) => ({
    steps: [{ type: 'sleep', wake: { kind: 'duration', ms: c.ms }, next: ctx.port('out') }],
  }),
});
const registry = createRegistry([start, wait] as const);

const node = (id: string, type: string, config: object = {}, version?: number) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: { config, ...(version ? { version } : {}) },
});

describe('defineNode + migrations', () => {
  it('applies migrations for older versions and rejects newer ones', () => {
    const graph = {
      nodes: [node('s', 'start'), node('w', 'wait', { seconds: 5 }, 1)],
      edges: [{ id: 'e', source: 's', sourceHandle: 'out', target: 'w' }],
    };
    const r = compileJourney(graph, { registry });
    expect(r.ok && r.plan.steps.w).toMatchObject({ type: 'sleep', wake: { kind: 'duration', ms: 5000 } });
    graph.nodes[1] = node('w', 'wait', {}, 3);
    const r3 = compileJourney(graph, { registry });
    expect(r3.diagnostics).toContainEqual(
      expect.objectContaining({ nodeId: 'w', code: 'node.unknown_version' }),
    );
  });
  it('rejects malformed primitives from custom node types', () => {
    const bad = defineNode({
      kind: 'bad',
      version: 1,
      label: 'Bad',
      description: '',
      category: 'timing',
      config: z.object({}),
      ports: [{ id: 'out', label: 'Out' }],
      compile: (_c, ctx) => ({
        steps: [{ type: 'sleep', wake: { kind: 'duration', ms: -5 }, next: ctx.port('out') }],
      }),
    });
    const graph = {
      nodes: [node('s', 'start'), node('b', 'bad')],
      edges: [{ id: 'e', source: 's', sourceHandle: 'out', target: 'b' }],
    };
    const r = compileJourney(graph, { registry: createRegistry([start, bad]) });
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ nodeId: 'b', code: 'node.compile_failed' }),
    );
  });
  it('refuses duplicate kinds in a registry', () => {
    expect(() => createRegistry([wait, wait])).toThrow(/twice/);
  });
});

describe('cyclicComponents', () => {
  it('finds loops and self-loops only', () => {
    const g: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: ['d'], e: [] };
    const comps = cyclicComponents(Object.keys(g), (v) => g[v] ?? []).map((c) => c.sort());
    expect(comps).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['d']]));
    expect(comps).toHaveLength(2);
  });
  it('handles a 50k chain without recursion', () => {
    const n = 50_000;
    const comps = cyclicComponents(
      Array.from({ length: n }, (_, i) => String(i)),
      (v) => [String((Number(v) + 1) % n)],
    );
    expect(comps[0]).toHaveLength(n);
  });
});
