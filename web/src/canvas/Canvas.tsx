import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { type DragEvent, useCallback } from 'react';
import { NODE_WIDTH } from './graph';
import { nodeTypes, uiOf } from './JourneyNode';
import { DND_TYPE } from './Palette';
import { type EditorState, useEditor, useEditorApi } from './store';

const selectNodes = (s: EditorState) => s.nodes;
const selectEdges = (s: EditorState) => s.edges;
const selectOnNodesChange = (s: EditorState) => s.onNodesChange;
const selectOnEdgesChange = (s: EditorState) => s.onEdgesChange;
const selectOnConnect = (s: EditorState) => s.onConnect;
const selectBeginDrag = (s: EditorState) => s.beginDrag;
const minimapColor = (n: { type?: string }) => uiOf(n.type ?? '').color;
const defaultEdgeOptions = { type: 'smoothstep', style: { strokeWidth: 2 } };
const proOptions = { hideAttribution: true };

/** The React Flow surface: drop target for the palette, selection, connections (only selection when read-only). */
export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  const nodes = useEditor(selectNodes);
  const edges = useEditor(selectEdges);
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
      const kind = e.dataTransfer.getData(DND_TYPE);
      if (!kind) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      store.getState().addNode(kind, { x: p.x - NODE_WIDTH / 2, y: p.y - 30 });
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
        defaultEdgeOptions={defaultEdgeOptions}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.1}
        onlyRenderVisibleElements={nodes.length > 200}
        proOptions={proOptions}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.5} color="#cbd2e1" />
        <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
