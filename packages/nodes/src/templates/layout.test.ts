import type { Graph } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../registry';
import { graphBuilder } from './builder';
import { templates } from './index';
import { COLUMN, ROW } from './layout';

const at = (g: Graph, id: string) => g.nodes.find((n) => n.id === id)!.position;

/** Whether `to` can be reached from `from` (an edge pointing up must close a loop). */
function reaches(g: Graph, from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (id === to) return true;
    for (const e of g.edges) {
      if (e.source !== id || seen.has(e.target)) continue;
      seen.add(e.target);
      queue.push(e.target);
    }
  }
  return false;
}

/** Children of each step with several ports, in port order (loops back up left out). */
function portChildren(g: Graph) {
  return g.nodes.flatMap((n) => {
    const def = builtinRegistry.get(n.type)!;
    const ports = def.ports(def.config.parse(n.data.config) as never);
    if (ports.length < 2) return [];
    const kids = ports.flatMap((p) => {
      const e = g.edges.find((x) => x.source === n.id && x.sourceHandle === p.id);
      return e && at(g, e.target).y > n.position.y ? [e.target] : [];
    });
    return [{ node: n.id, kids }];
  });
}

describe('template layout', () => {
  it.each(templates.map((t) => [t.id, t.graph] as const))(
    '%s reads top to bottom, children in port order',
    (_id, g) => {
      for (const e of g.edges) {
        if (at(g, e.target).y > at(g, e.source).y) continue;
        expect(
          reaches(g, e.target, e.source),
          `${e.source} → ${e.target} points up without being a loop`,
        ).toBe(true);
      }
      for (const { node, kids } of portChildren(g)) {
        const xs = kids.map((k) => at(g, k).x);
        expect(xs, `children of ${node}: ${kids.join(', ')}`).toEqual([...xs].sort((a, b) => a - b));
        expect(new Set(xs).size, `children of ${node} share a column`).toBe(xs.length);
      }
      const cells = g.nodes.map((n) => `${Math.round((n.position.x + 200) / COLUMN)}:${n.position.y / ROW}`);
      expect(new Set(cells).size, 'two steps on one spot').toBe(cells.length);
    },
  );

  it('puts Happened left of Timed out in the order updates and the review request', () => {
    const order = templates.find((t) => t.id === 'order_updates')!.graph;
    expect(at(order, 'shipped').x).toBeLessThan(at(order, 'no_ship').x);
    const review = templates.find((t) => t.id === 'review_request')!.graph;
    expect(at(review, 'reviewed').x).toBeLessThan(at(review, 'nudge').x);
  });

  it('follows the ports, not the order the edges were written in', () => {
    const g = graphBuilder()
      .node('trigger', 'trigger')
      .node('who', 'branch', {
        cases: [
          { id: 'a', label: 'A', when: { kind: 'segment', segmentId: 'seg_a' } },
          { id: 'b', label: 'B', when: { kind: 'segment', segmentId: 'seg_b' } },
        ],
      })
      .node('to_else', 'exit')
      .node('to_b', 'exit')
      .node('to_a', 'exit')
      .edge('trigger', 'who')
      .edge('who', 'to_else', 'else')
      .edge('who', 'to_b', 'b')
      .edge('who', 'to_a', 'a')
      .build();
    const xs = ['to_a', 'to_b', 'to_else'].map((id) => at(g, id).x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(3);
  });

  it('moves a step aside when a later port skips past it, and keeps a loop a loop', () => {
    const g = graphBuilder()
      .node('trigger', 'trigger')
      .node('wait', 'wait_for_event', { eventType: 'order.fulfilled' })
      .node('sms', 'send_sms', { text: 'hi' })
      .node('join', 'delay')
      .edge('trigger', 'wait')
      .edge('wait', 'sms', 'happened')
      .edge('wait', 'join', 'timed_out')
      .edge('sms', 'join')
      .edge('join', 'wait')
      .build();
    expect(at(g, 'sms').x).toBeLessThan(at(g, 'wait').x);
    expect(at(g, 'join').y).toBeGreaterThan(at(g, 'sms').y);
    expect(at(g, 'wait').y).toBeGreaterThan(at(g, 'trigger').y);
  });
});
