import type { NodeUi } from '@hourglass/nodes';
import { builtinNodes, builtinRegistry, nodeUis, summarizeNode } from '@hourglass/nodes';
import { Handle, type NodeProps, type NodeTypes, Position } from '@xyflow/react';
import { AlertCircle, AlertTriangle } from 'lucide-react';
import { memo, useCallback } from 'react';
import { iconFor } from '../ui/icons';
import { NodeBadges } from './AnalyticsBar';
import { type JourneyNode as JourneyNodeT, portsOf } from './graph';
import { type EditorState, useEditor } from './store';

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
function JourneyNodeView({ id, type, data, selected }: NodeProps<JourneyNodeT>) {
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
  return (
    <div
      className={`jn${selected ? ' is-selected' : ''}${errors ? ' has-error' : ''}`}
      style={{ '--accent': ui.color } as React.CSSProperties}
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
      <NodeBadges nodeId={id} />
      {ports.length > 0 && (
        <div className={`jn-ports${ports.length > 1 ? ' multi' : ''}`}>
          {ports.map((p, i) => (
            <div className="jn-port" key={p.id} style={{ left: `${((i + 0.5) / ports.length) * 100}%` }}>
              {ports.length > 1 && <span className="jn-port-label">{p.label}</span>}
              <Handle
                type="source"
                id={p.id}
                position={Position.Bottom}
                className="jn-out"
                aria-label={`${title}: ${p.label}`}
                title={p.label}
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
