import type { JourneyDiff } from '@hourglass/contract';
import type { Graph } from '@hourglass/journey';
import { summarizeNode } from '@hourglass/nodes';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { fromGraph } from './graph';
import { layoutGraph } from './layout';

const proOptions = { hideAttribution: true };

/** Read-only miniature of a version, steps tinted by what changed (added green, changed amber). */
export function VersionDiffView({ graph, diff }: { graph: Graph; diff: JourneyDiff | undefined }) {
  const { nodes, edges } = useMemo(() => {
    const change = new Map(diff?.nodes.map((n) => [n.nodeId, n.change]) ?? []);
    const g = fromGraph(graph);
    const laid = layoutGraph(g.nodes, g.edges).map((n) => ({
      id: n.id,
      position: n.position,
      type: 'default',
      className: `diff-node ${change.get(n.id) ?? 'same'}`,
      data: { label: summarizeNode(n.type ?? '', n.data.config) },
      draggable: false,
      connectable: false,
    }));
    return { nodes: laid, edges: g.edges };
  }, [graph, diff]);
  return (
    <div className="diff-canvas" data-testid="version-diff">
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          proOptions={proOptions}
          minZoom={0.05}
        />
      </ReactFlowProvider>
    </div>
  );
}
