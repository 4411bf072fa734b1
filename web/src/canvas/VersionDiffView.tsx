import type { JourneyDiff } from '@hourglass/contract';
import type { Graph } from '@hourglass/journey';
import { summarizeNode } from '@hourglass/nodes';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { fromGraph, type JourneyNode } from './graph';
import { layoutGraph } from './layout';

const proOptions = { hideAttribution: true };

/** Read-only miniature of a version, steps tinted by what changed (added green, changed amber). */
export function VersionDiffView({ graph, diff }: { graph: Graph; diff: JourneyDiff | undefined }) {
  const g = useMemo(() => fromGraph(graph), [graph]);
  const [laid, setLaid] = useState<{ of: typeof g; nodes: JourneyNode[] } | null>(null);
  useEffect(() => {
    let current = true;
    void layoutGraph(g.nodes, g.edges).then((nodes) => current && setLaid({ of: g, nodes }));
    return () => {
      current = false;
    };
  }, [g]);
  const { nodes, edges } = useMemo(() => {
    const change = new Map(diff?.nodes.map((n) => [n.nodeId, n.change]) ?? []);
    const placed = laid?.of === g ? laid.nodes : [];
    const miniature = placed.map((n) => ({
      id: n.id,
      position: n.position,
      type: 'default',
      className: `diff-node ${change.get(n.id) ?? 'same'}`,
      data: { label: summarizeNode(n.type ?? '', n.data.config) },
      draggable: false,
      connectable: false,
    }));
    return { nodes: miniature, edges: g.edges };
  }, [g, laid, diff]);
  // Mounted once laid out, so that fitView frames the finished picture.
  if (nodes.length === 0 && g.nodes.length > 0)
    return <div className="diff-canvas" data-testid="version-diff" />;
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
