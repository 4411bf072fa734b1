import { describe, expect, it } from 'vitest';
import type { Graph } from './graph';
import { exportJourney, importJourney } from './io';

const graph: Graph = {
  nodes: [{ id: 't', type: 'trigger', position: { x: 1, y: 2 }, data: { config: {}, version: 1 } }],
  edges: [],
};

describe('exportJourney / importJourney', () => {
  it('round-trips', () => {
    const text = exportJourney({ name: 'Welcome', graph });
    const back = importJourney(text);
    expect(back).toEqual({
      ok: true,
      journey: { format: 'hourglass.journey', formatVersion: 1, name: 'Welcome', description: '', graph },
    });
  });
  it('explains what is wrong', () => {
    expect(importJourney('{nope')).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringMatching(/Not a JSON file/) }],
    });
    expect(importJourney({ hello: 1 })).toMatchObject({ ok: false, errors: [{ path: 'format' }] });
    expect(importJourney({ format: 'hourglass.journey', formatVersion: 9, name: 'x', graph })).toMatchObject({
      ok: false,
      errors: [{ path: 'formatVersion', message: expect.stringMatching(/newer Hourglass/) }],
    });
    const bad = importJourney({
      format: 'hourglass.journey',
      formatVersion: 1,
      name: 'x',
      graph: { nodes: [{}], edges: [] },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.some((e) => e.path.startsWith('graph.nodes.0'))).toBe(true);
  });
});
