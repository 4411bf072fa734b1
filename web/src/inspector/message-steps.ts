import { builtinRegistry } from '@hourglass/nodes';
import { useMemo } from 'react';
import type { JourneyNode } from '../canvas/graph';
import { type EditorState, useEditor } from '../canvas/store';
import type { MessageStepChoice } from '../rules/picker-types';

// The journey's send-email and send-SMS steps by name, for "the message of step X" pickers (waits for
// engagement, branch conditions). Configs keep the step id; people pick by the name on the canvas.

/** Message-sending steps in canvas order, named by their label (the id added when two share one). */
export function messageStepChoices(nodes: readonly Pick<JourneyNode, 'id' | 'type' | 'data'>[]) {
  const steps = nodes.flatMap((n) => {
    const def = builtinRegistry.get(n.type ?? '');
    return def?.sendsMessage ? [{ id: n.id, label: n.data.label || def.label }] : [];
  });
  const count = new Map<string, number>();
  for (const s of steps) count.set(s.label, (count.get(s.label) ?? 0) + 1);
  return steps.map(
    (s): MessageStepChoice => (count.get(s.label)! > 1 ? { ...s, label: `${s.label} (${s.id})` } : s),
  );
}

// A string, so dragging a step (new node objects every frame) re-renders no picker.
const selectKey = (s: EditorState) => JSON.stringify(messageStepChoices(s.nodes));

/** The editor's message steps, stable while nothing about them changes. */
export function useMessageSteps(): readonly MessageStepChoice[] {
  const key = useEditor(selectKey);
  return useMemo(() => JSON.parse(key) as MessageStepChoice[], [key]);
}
