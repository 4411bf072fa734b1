import type { NodeUi } from '@hourglass/nodes';
import { builtinNodes, builtinRegistry, nodeUis, summarizeNode } from '@hourglass/nodes';
import { Handle, type NodeProps, type NodeTypes, Position, useUpdateNodeInternals } from '@xyflow/react';
import { AlertCircle, AlertTriangle } from 'lucide-react';
import { memo, useCallback, useEffect, useRef } from 'react';
import { iconFor } from '../ui/icons';
import { NodeBadges } from './AnalyticsBar';
import { connectFieldId, focusWhenReady } from './a11y';
import { type JourneyNode as JourneyNodeT, nodeWidth, portsOf } from './graph';
import { type EditorState, useEditor, useEditorApi } from './store';

/** UI descriptor of a kind, or a neutral one for kinds without a descriptor. */
export function uiOf(kind: string): NodeUi<unknown> {
  return (
    (nodeUis as Record<string, NodeUi<unknown>>)[kind] ?? {
      icon: 'square',
      color: '#64748b',
      summary: () => kind,
    }
  );
}

const EMPTY: never[] = [];

/** One canvas node, for every kind: the registry supplies label, ports and summary. */
function JourneyNodeView({ id, type, data, selected, isConnectable }: NodeProps<JourneyNodeT>) {
  const selectDiagnostics = useCallback((s: EditorState) => s.byNode[id] ?? EMPTY, [id]);
  const diagnostics = useEditor(selectDiagnostics);
  const def = builtinRegistry.get(type);
  const ui = uiOf(type);
  const Icon = iconFor(ui.icon);
  const ports = portsOf(type, data.config);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const title = data.label || def?.label || type;
  const summary = summarizeNode(type, data.config);
  const multi = ports.length > 1;
  // Handles added, removed or moved (a new case shifts "Everyone else") must be re-measured to connect.
  // Not on mount: React Flow measures new nodes together, and the first fit-to-view waits for all of them.
  const store = useEditorApi();
  const updateNodeInternals = useUpdateNodeInternals();
  const portsKey = ports.map((p) => `${p.id}\u0000${p.label}`).join('\u0001');
  const measuredPorts = useRef(portsKey);
  useEffect(() => {
    if (measuredPorts.current === portsKey) return;
    measuredPorts.current = portsKey;
    updateNodeInternals(id);
  }, [id, portsKey, updateNodeInternals]);
  return (
    <div
      className={`jn${selected ? ' is-selected' : ''}${errors ? ' has-error' : ''}`}
      style={{ '--accent': ui.color, width: nodeWidth(ports.length) } as React.CSSProperties}
      data-testid={`node-${id}`}
      data-kind={type}
    >
      {def?.category !== 'trigger' && <Handle type="target" position={Position.Top} className="jn-in" />}
      <div className="jn-head">
        <span className="jn-icon" aria-hidden>
          <Icon size={16} />
        </span>
        <span className="jn-title">{title}</span>
        {errors > 0 && (
          <span className="jn-badge error" title={diagnostics[0]?.message}>
            <AlertCircle size={13} /> {errors}
          </span>
        )}
        {errors === 0 && warnings > 0 && (
          <span className="jn-badge warning" title={diagnostics[0]?.message}>
            <AlertTriangle size={13} /> {warnings}
          </span>
        )}
      </div>
      <div className="jn-summary">{summary}</div>
      <NodeBadges nodeId={id} kind={type} />
      {ports.length > 0 && (
        // Several outputs: one equal cell each, label wrapped in full above its handle (layout.ts relies on it).
        <div
          className={`jn-ports${multi ? ' multi' : ''}`}
          style={multi ? { gridTemplateColumns: `repeat(${ports.length}, minmax(0, 1fr))` } : undefined}
        >
          {ports.map((p) => (
            <div className="jn-port" key={p.id}>
              {multi && <span className="jn-port-label">{p.label}</span>}
              <Handle
                type="source"
                id={p.id}
                position={Position.Bottom}
                // `nokey`: React Flow leaves this key handling to us (Enter would select the step instead).
                className="jn-out nokey"
                role="button"
                tabIndex={isConnectable ? 0 : -1}
                aria-label={multi ? `Connect ${title}: ${p.label}` : `Connect ${title} to the next step`}
                title={p.label}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return;
                  e.preventDefault();
                  e.stopPropagation();
                  // The inspector lists the steps this output can lead to.
                  store.getState().select(id);
                  focusWhenReady(() => document.getElementById(connectFieldId(id, p.id)));
                }}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

const NodeView = memo(JourneyNodeView);

/** nodeTypes built once at module scope: every registered kind renders with the same view. */
export const nodeTypes: NodeTypes = Object.fromEntries(builtinNodes.map((d) => [d.kind, NodeView]));
