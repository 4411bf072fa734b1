import { builtinRegistry } from '@hourglass/nodes';
import type { JourneyNode } from './graph';

// Step names (`steps.<name>.<field>`): a node whose type has an output gets one when it lands on the
// canvas, distinct from every other step's, so two discount codes never read as the same step.

/** The name later steps read a node's output by: its own, else its type's default; null = no output. */
export function stepNameOf(node: Pick<JourneyNode, 'type' | 'data'>): string | null {
  const spec = builtinRegistry.get(node.type ?? '')?.output;
  return spec ? (node.data.name ?? spec.name) : null;
}

/** Names already used by the given nodes. */
export function takenStepNames(nodes: readonly Pick<JourneyNode, 'type' | 'data'>[]): Set<string> {
  const taken = new Set<string>();
  for (const n of nodes) {
    const name = stepNameOf(n);
    if (name !== null) taken.add(name);
  }
  return taken;
}

/** `wanted` if free, else `wanted_2`, `wanted_3`… (a copy of `discount_2` becomes `discount_3`). */
export function uniqueStepName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  const base = wanted.replace(/_\d+$/, '') || 'step';
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    // Stay within the 40 characters a step name may have.
    const name = base.slice(0, 40 - suffix.length) + suffix;
    if (!taken.has(name)) return name;
  }
}

/**
 * Nodes about to be added, each with a step name no other step has (nodes without an output are
 * returned as they are). `existing` are the nodes already on the canvas.
 */
export function withUniqueStepNames<N extends Pick<JourneyNode, 'type' | 'data'>>(
  added: readonly N[],
  existing: readonly Pick<JourneyNode, 'type' | 'data'>[],
): N[] {
  const taken = takenStepNames(existing);
  return added.map((n) => {
    const wanted = stepNameOf(n);
    if (wanted === null) return n;
    const name = uniqueStepName(wanted, taken);
    taken.add(name);
    return name === n.data.name ? n : { ...n, data: { ...n.data, name } };
  });
}
