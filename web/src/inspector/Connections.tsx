import { builtinRegistry } from '@hourglass/nodes';
import type { Edge } from '@xyflow/react';
import { useCallback } from 'react';
import { connectFieldId, stepTitle } from '../canvas/a11y';
import { portsOf } from '../canvas/graph';
import { type EditorState, useEditor, useEditorApi } from '../canvas/store';

// Connecting steps without a mouse: each output of the selected step picks the step it leads to, and
// "Not connected" removes the edge. The canvas's output dots lead here on Enter.

const selectEdges = (s: EditorState) => s.edges;
const SEP = '\u0000';

/** The step an edge from this output leads to: edges saved without a handle belong to a single output. */
function edgeOf(edges: readonly Edge[], nodeId: string, portId: string, single: boolean) {
  return edges.find((e) => e.source === nodeId && (e.sourceHandle ?? (single ? portId : null)) === portId);
}

/** "Next step" pickers for the selected step's outputs. */
export function Connections({ id, kind, config }: { id: string; kind: string; config: unknown }) {
  const store = useEditorApi();
  const edges = useEditor(selectEdges);
  // A string, so dragging a step (new positions every frame) does not re-render the pickers.
  const selectTargets = useCallback(
    (s: EditorState) =>
      s.nodes
        .filter((n) => n.id !== id && builtinRegistry.get(n.type ?? '')?.category !== 'trigger')
        .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x)
        .map((n) => `${n.id}${SEP}${stepTitle(n)}`)
        .join(SEP),
    [id],
  );
  const flat = useEditor(selectTargets);
  const ports = portsOf(kind, config as Record<string, unknown>);
  if (ports.length === 0) return null;
  const parts = flat ? flat.split(SEP) : [];
  const targets: [string, string][] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) targets.push([parts[i] ?? '', parts[i + 1] ?? '']);
  const single = ports.length === 1;

  return (
    <section className="inspector-connections" aria-labelledby={`connections-${id}`}>
      <h3 id={`connections-${id}`}>{single ? 'Next step' : 'Next steps'}</h3>
      {ports.map((p) => {
        const edge = edgeOf(edges, id, p.id, single);
        const fieldId = connectFieldId(id, p.id);
        return (
          <div className="field" key={p.id}>
            <label htmlFor={fieldId}>{single ? 'Then go to' : `${p.label}: go to`}</label>
            <select
              id={fieldId}
              value={edge?.target ?? ''}
              onChange={(e) => {
                const target = e.target.value;
                const state = store.getState();
                if (target) state.onConnect({ source: id, sourceHandle: p.id, target, targetHandle: null });
                else if (edge) state.onEdgesChange([{ type: 'remove', id: edge.id }]);
              }}
            >
              <option value="">Not connected</option>
              {targets.map(([nodeId, title]) => (
                <option key={nodeId} value={nodeId}>
                  {title}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </section>
  );
}
