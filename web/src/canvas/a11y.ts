import { builtinRegistry, summarizeNode } from '@hourglass/nodes';
import type { Edge } from '@xyflow/react';
import { useMemo, useRef } from 'react';
import type { JourneyNode } from './graph';

// Keyboard and screen-reader support for the canvas: every step is named apart from the others of its
// kind, and focus is moved to what a keyboard user acts on next.

/** A step's own words: its label (or its type's) and its summary when that says more. */
function stepWords(node: Pick<JourneyNode, 'type' | 'data'>): { title: string; summary: string | null } {
  const kind = node.type ?? '';
  const title = node.data.label || builtinRegistry.get(kind)?.label || kind;
  const summary = summarizeNode(kind, node.data.config);
  return { title, summary: summary && summary !== title ? summary : null };
}

/** A step as the inspector's pickers list it, e.g. "Delay: Wait 3 days". */
export function stepTitle(node: Pick<JourneyNode, 'type' | 'data'>): string {
  const { title, summary } = stepWords(node);
  // "Exit · Journey complete" already says "Exit".
  if (summary?.startsWith(title)) return summary;
  return summary ? `${title}: ${summary}` : title;
}

/**
 * What a screen reader announces for each step on the canvas, e.g. "Delay step: Wait 3 days"; steps
 * that would still read alike get "(1 of 2)", "(2 of 2)".
 */
export function stepAriaLabels(nodes: readonly JourneyNode[]): Map<string, string> {
  const names = nodes.map((n) => {
    const { title, summary } = stepWords(n);
    return summary ? `${title} step: ${summary}` : `${title} step`;
  });
  const total = new Map<string, number>();
  for (const name of names) total.set(name, (total.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  nodes.forEach((n, i) => {
    const name = names[i] ?? n.id;
    const of = total.get(name) ?? 1;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    out.set(n.id, of > 1 ? `${name} (${k} of ${of})` : name);
  });
  return out;
}

/**
 * The nodes with their accessible names. A node keeps its object identity while its name is unchanged,
 * so React Flow does not re-render every step on every drag frame.
 */
export function useLabelledNodes(nodes: JourneyNode[]): JourneyNode[] {
  const cache = useRef(new WeakMap<JourneyNode, JourneyNode>());
  return useMemo(() => {
    const labels = stepAriaLabels(nodes);
    return nodes.map((n) => {
      const ariaLabel = labels.get(n.id) ?? n.id;
      const hit = cache.current.get(n);
      if (hit?.ariaLabel === ariaLabel) return hit;
      const labelled = { ...n, ariaLabel };
      cache.current.set(n, labelled);
      return labelled;
    });
  }, [nodes]);
}

/** The edges named by the steps they join ("From Thanks to Wait 3 days"), not by node ids. */
export function useLabelledEdges(edges: Edge[], nodes: readonly JourneyNode[]): Edge[] {
  const cache = useRef(new WeakMap<Edge, Edge>());
  const titles = useMemo(
    () => new Map(nodes.map((n) => [n.id, n.data.label || builtinRegistry.get(n.type ?? '')?.label || n.id])),
    [nodes],
  );
  return useMemo(
    () =>
      edges.map((e) => {
        const port = e.sourceHandle && e.sourceHandle !== 'out' ? ` (${e.sourceHandle})` : '';
        const ariaLabel = `From ${titles.get(e.source) ?? e.source}${port} to ${titles.get(e.target) ?? e.target}`;
        const hit = cache.current.get(e);
        if (hit?.ariaLabel === ariaLabel) return hit;
        const labelled = { ...e, ariaLabel };
        cache.current.set(e, labelled);
        return labelled;
      }),
    [edges, titles],
  );
}

/** Id of the inspector's "next step" picker for one output of a step. */
export const connectFieldId = (nodeId: string, portId: string) => `connect-${nodeId}-${portId}`;

/**
 * Focuses the element once React has rendered it and it can take focus (a new step stays hidden until
 * React Flow has measured it; a freshly opened inspector renders a frame later).
 */
export function focusWhenReady(find: () => HTMLElement | null, frames = 60): void {
  const el = find();
  el?.focus();
  if (el && document.activeElement === el) return;
  if (frames > 0) requestAnimationFrame(() => focusWhenReady(find, frames - 1));
}

/** Focuses a step on the canvas (a node element React Flow made focusable). */
export function focusStep(nodeId: string): void {
  focusWhenReady(() =>
    document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`),
  );
}
