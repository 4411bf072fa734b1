import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { type DragEvent, useCallback } from 'react';
import { useLabelledEdges, useLabelledNodes } from './a11y';
import { defaultConfig, FIT_VIEW, NODE_HEIGHT, nodeWidth, portsOf } from './graph';
import { nodeTypes, uiOf } from './JourneyNode';
import { DND_TYPE } from './Palette';
import { edgeTypes } from './PortEdge';
import { resolveAdd } from './presets';
import { type EditorState, useEditor, useEditorApi } from './store';

const selectNodes = (s: EditorState) => s.nodes;
const selectEdges = (s: EditorState) => s.edges;
const selectOnNodesChange = (s: EditorState) => s.onNodesChange;
const selectOnEdgesChange = (s: EditorState) => s.onEdgesChange;
const selectOnConnect = (s: EditorState) => s.onConnect;
const selectBeginDrag = (s: EditorState) => s.beginDrag;
const minimapColor = (n: { type?: string }) => uiOf(n.type ?? '').color;
const defaultEdgeOptions = { type: 'port', style: { strokeWidth: 2 } };
const minimapStyle = { width: 150, height: 100 };
/** Screen pixels kept between a dropped step and the canvas's edges. */
const DROP_MARGIN = 16;
const proOptions = { hideAttribution: true };

/** The React Flow surface: drop target for the palette, selection, connections (only selection when read-only). */
export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  // Each step named apart for screen readers ("Delay step: Wait 3 days").
  const nodes = useLabelledNodes(useEditor(selectNodes));
  const edges = useLabelledEdges(useEditor(selectEdges), nodes);
  const onNodesChange = useEditor(selectOnNodesChange);
  const onEdgesChange = useEditor(selectOnEdgesChange);
  const onConnect = useEditor(selectOnConnect);
  const beginDrag = useEditor(selectBeginDrag);
  const store = useEditorApi();
  const { screenToFlowPosition } = useReactFlow();

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DND_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const ref = e.dataTransfer.getData(DND_TYPE);
      if (!ref) return;
      const { kind, config } = resolveAdd(ref);
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Dropped by the edge, a step would hang under the inspector or the header: keep it all in view.
      const box = e.currentTarget.getBoundingClientRect();
      const min = screenToFlowPosition({ x: box.left + DROP_MARGIN, y: box.top + DROP_MARGIN });
      const max = screenToFlowPosition({ x: box.right - DROP_MARGIN, y: box.bottom - DROP_MARGIN });
      const width = nodeWidth(portsOf(kind, defaultConfig(kind)).length);
      const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, Math.max(lo, hi)));
      store.getState().addNode(
        kind,
        {
          x: clamp(p.x - width / 2, min.x, max.x - width),
          y: clamp(p.y - 30, min.y, max.y - NODE_HEIGHT),
        },
        config,
      );
    },
    [screenToFlowPosition, store],
  );

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        onNodeDragStart={beginDrag}
        onSelectionDragStart={beginDrag}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        onlyRenderVisibleElements={nodes.length > 200}
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.5} color="#cbd2e1" />
        <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" style={minimapStyle} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
