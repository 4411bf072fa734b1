import { builtinRegistry } from '@hourglass/nodes';
import { useReactFlow } from '@xyflow/react';
import { AlertCircle, AlertTriangle, CheckCircle2 } from 'lucide-react';
import { type EditorState, useEditor, useEditorApi } from './store';

const selectDiagnostics = (s: EditorState) => s.diagnostics;

/** Every compiler problem; clicking one selects the step, centres it and focuses the field at fault. */
export function DiagnosticsPanel({ onClose }: { onClose: () => void }) {
  const diagnostics = useEditor(selectDiagnostics);
  const store = useEditorApi();
  const { setCenter, getInternalNode } = useReactFlow();
  const jump = (nodeId: string | null, field?: string) => {
    if (!nodeId) return;
    store.getState().select(nodeId, field ?? null);
    const n = getInternalNode(nodeId);
    if (n) {
      const { x, y } = n.internals.positionAbsolute;
      void setCenter(x + (n.measured.width ?? 260) / 2, y + (n.measured.height ?? 80) / 2, {
        zoom: 1,
        duration: 250,
      });
    }
  };
  return (
    <section className="problems" aria-label="Problems">
      <header>
        <h2>Problems</h2>
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
      </header>
      {diagnostics.length === 0 ? (
        <p className="ok">
          <CheckCircle2 size={16} /> Ready to publish: no problems found.
        </p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => {
            const node = d.nodeId ? store.getState().nodes.find((n) => n.id === d.nodeId) : null;
            const where = node
              ? (node.data.label ?? builtinRegistry.get(node.type ?? '')?.label ?? node.id)
              : 'Journey';
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics are recomputed as a whole
              <li key={i}>
                <button
                  type="button"
                  className={`problem ${d.severity}`}
                  onClick={() => jump(d.nodeId, d.field)}
                  disabled={!d.nodeId}
                >
                  {d.severity === 'error' ? <AlertCircle size={15} /> : <AlertTriangle size={15} />}
                  <span className="problem-where">{where}</span>
                  <span className="problem-msg">{d.message}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
