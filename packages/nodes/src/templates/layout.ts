import type { Graph } from '@hourglass/journey';
import { builtinRegistry } from '../registry';

type Node = Graph['nodes'][number];
type Edge = Graph['edges'][number];

/** Column and row pitch of a template's first layout (canvas nodes are 260–340 px wide, 76–130 high). */
export const COLUMN = 440;
export const ROW = 200;
/** How far a step is moved left when an edge from its parent's later port runs past it. */
const BYPASS_SHIFT = 100;

function portOrder(node: Node): string[] {
  const def = builtinRegistry.get(node.type);
  if (!def) return [];
  const parsed = def.config.safeParse(node.data.config);
  return def.ports(parsed.success ? parsed.data : (node.data.config as never)).map((p) => p.id);
}

/**
 * Deterministic top-to-bottom layout for the shipped templates (the editor's "Tidy up" uses ELK).
 * The first port's child sits straight below its step and later ports' children start new columns
 * to the right, in port order (Happened before Timed out, case 1 before case 2 before "Everyone
 * else"); a step reached from several sits below all of them; loops through a wait stay loops.
 */
export function layOutTopDown(nodes: Node[], edges: readonly Edge[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const outs = new Map<string, Edge[]>();
  for (const n of nodes) {
    const order = portOrder(n);
    const rank = (e: Edge) => {
      const i = order.indexOf(e.sourceHandle ?? order[0] ?? '');
      return i < 0 ? order.length : i;
    };
    outs.set(
      n.id,
      edges.filter((e) => e.source === n.id && byId.has(e.target)).sort((a, b) => rank(a) - rank(b)),
    );
  }

  // Depth-first in port order: edges back into the current path are loops, left out of the ranking.
  const state = new Map<string, 'open' | 'done'>();
  const postorder: string[] = [];
  const back = new Set<Edge>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const e of outs.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 'open') back.add(e);
      else if (!s) visit(e.target);
    }
    state.set(id, 'done');
    postorder.push(id);
  };
  for (const n of nodes) if (!state.has(n.id)) visit(n.id);

  const row = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (const id of [...postorder].reverse()) {
    for (const e of outs.get(id) ?? []) {
      if (!back.has(e)) row.set(e.target, Math.max(row.get(e.target) ?? 0, (row.get(id) ?? 0) + 1));
    }
  }

  const column = new Map<string, number>();
  let lastColumn = -1;
  const place = (id: string, col: number) => {
    column.set(id, col);
    lastColumn = Math.max(lastColumn, col);
    let first = true;
    for (const e of outs.get(id) ?? []) {
      if (back.has(e) || column.has(e.target)) continue;
      place(e.target, first ? col : lastColumn + 1);
      first = false;
    }
  };
  for (const n of nodes) if (!column.has(n.id)) place(n.id, lastColumn + 1);

  // An edge from a later port that skips rows runs down its own column: steps in its way move aside.
  const shifted = new Set<string>();
  for (const e of edges) {
    const [from, to] = [row.get(e.source) ?? 0, row.get(e.target) ?? 0];
    if (back.has(e) || to - from < 2 || column.get(e.source) !== column.get(e.target)) continue;
    for (const n of nodes) {
      const r = row.get(n.id) ?? 0;
      if (column.get(n.id) === column.get(e.source) && r > from && r < to) shifted.add(n.id);
    }
  }
  for (const n of nodes) {
    const x = (column.get(n.id) ?? 0) * COLUMN - (shifted.has(n.id) ? BYPASS_SHIFT : 0);
    n.position = { x, y: (row.get(n.id) ?? 0) * ROW };
  }
}
