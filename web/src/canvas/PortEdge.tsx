import {
  BaseEdge,
  type EdgeProps,
  type EdgeTypes,
  getSmoothStepPath,
  type ReactFlowState,
  useStore,
} from '@xyflow/react';
import { memo, useCallback } from 'react';
import { type JourneyNode, portsOf } from './graph';
import { laneY } from './lanes';

const idsCache = new WeakMap<object, string[]>();
/** A node's output port ids, parsed once per config object (edges ask on every store change). */
function portIds(node: JourneyNode | undefined): string[] {
  const config = node?.data.config;
  if (!node || !config) return [];
  let ids = idsCache.get(config);
  if (!ids) {
    ids = portsOf(node.type ?? '', config).map((p) => p.id);
    idsCache.set(config, ids);
  }
  return ids;
}

/** A stepped edge whose turn depends on its port, so a branch's paths can be told apart. */
function PortEdgeView(props: EdgeProps) {
  const { id, source, sourceHandleId, sourceX, sourceY, targetX, targetY } = props;
  const selectSlot = useCallback(
    (s: ReactFlowState) => {
      const ids = portIds(s.nodeLookup.get(source) as JourneyNode | undefined);
      return `${ids.indexOf(sourceHandleId ?? ids[0] ?? '')}/${ids.length}`;
    },
    [source, sourceHandleId],
  );
  const [index = -1, count = 0] = useStore(selectSlot).split('/').map(Number);
  const centerY = laneY(index, count, { x: sourceX, y: sourceY }, { x: targetX, y: targetY });
  const [path] = getSmoothStepPath({
    sourceX,
    sourceY,
    sourcePosition: props.sourcePosition,
    targetX,
    targetY,
    targetPosition: props.targetPosition,
    ...(centerY === undefined ? {} : { centerY }),
  });
  return (
    <BaseEdge
      id={id}
      path={path}
      style={props.style}
      interactionWidth={props.interactionWidth}
      {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})}
    />
  );
}

/** Edge types built once at module scope. */
export const edgeTypes: EdgeTypes = { port: memo(PortEdgeView) };
