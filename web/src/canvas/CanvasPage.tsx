import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';

const nodes: Node[] = [
  { id: 'trigger', position: { x: 0, y: 0 }, data: { label: 'Trigger · Order delivered' } },
  { id: 'wait', position: { x: 0, y: 120 }, data: { label: 'Wait 7 days' } },
  { id: 'email', position: { x: 0, y: 240 }, data: { label: 'Email · How are you liking your order?' } },
];
const edges: Edge[] = [
  { id: 'e1', source: 'trigger', target: 'wait' },
  { id: 'e2', source: 'wait', target: 'email' },
];

/** The journey canvas. */
export function CanvasPage() {
  return (
    <section className="canvas-page">
      <header className="page-header">
        <h1>Review request</h1>
      </header>
      <div className="canvas" data-testid="canvas">
        <ReactFlowProvider>
          <ReactFlow defaultNodes={nodes} defaultEdges={edges} fitView>
            <Background />
            <MiniMap />
            <Controls />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
    </section>
  );
}
