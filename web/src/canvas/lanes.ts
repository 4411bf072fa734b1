/** Space kept clear under a port and above a target before an edge turns. */
const MARGIN = 16;
/** Distance between the horizontal runs of sibling edges. */
const LANE = 12;
/** Taller gaps than this span more than one row: the edge turns near its target, past the steps between. */
const ONE_ROW = 180;

/**
 * Where the horizontal run of an edge from output `index` of `count` sits, so that sibling edges
 * never share one line nor cross: edges heading left turn first from the leftmost port, edges
 * heading right from the rightmost. `undefined` leaves React Flow's midpoint (single output, loops).
 */
export function laneY(
  index: number,
  count: number,
  source: { x: number; y: number },
  target: { x: number; y: number },
): number | undefined {
  const gap = target.y - source.y;
  if (count < 2 || index < 0 || gap <= 2 * MARGIN) return undefined;
  const lane = target.x < source.x ? index * 2 : (count - 1 - index) * 2 + 1;
  const step = Math.min(LANE, (gap - 2 * MARGIN) / (count * 2));
  return gap > ONE_ROW ? target.y - MARGIN - lane * step : source.y + MARGIN + lane * step;
}
