/** A valid journey: trigger on `eventType` → wait 3 days → exit. */
export function simpleGraph(
  eventType = 'order.placed',
  triggerExtra: Record<string, unknown> = {},
  days = 3,
) {
  return {
    nodes: [
      {
        id: 'trigger',
        type: 'trigger',
        position: { x: 0, y: 0 },
        data: { config: { start: { kind: 'event', eventType, filter: null }, ...triggerExtra }, version: 1 },
      },
      {
        id: 'wait',
        type: 'delay',
        position: { x: 280, y: 0 },
        data: { config: { amount: days, unit: 'days' }, version: 1 },
      },
      { id: 'done', type: 'exit', position: { x: 560, y: 0 }, data: { config: {}, version: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', sourceHandle: 'out', target: 'wait' },
      { id: 'e2', source: 'wait', sourceHandle: 'out', target: 'done' },
    ],
  };
}

/** A graph with errors (no trigger). */
export const brokenGraph = {
  nodes: [{ id: 'done', type: 'exit', position: { x: 0, y: 0 }, data: { config: {}, version: 1 } }],
  edges: [],
};
