import { describe, expect, it } from 'vitest';
import { laneY } from './lanes';

const src = (x: number) => ({ x, y: 100 });

describe('laneY', () => {
  it('gives each port of a branch its own horizontal run', () => {
    // Three ports at 60, 160, 260; children spread left, below and right of them.
    const ys = [
      laneY(0, 3, src(60), { x: -200, y: 200 }),
      laneY(1, 3, src(160), { x: 200, y: 200 }),
      laneY(2, 3, src(260), { x: 600, y: 200 }),
    ];
    expect(ys.every((y) => y !== undefined && y > 100 && y < 200)).toBe(true);
    expect(new Set(ys).size).toBe(3);
  });

  it('turns the rightmost of the edges heading right first, so they do not cross', () => {
    const inner = laneY(1, 3, src(160), { x: 400, y: 200 })!;
    const outer = laneY(2, 3, src(260), { x: 700, y: 200 })!;
    expect(outer).toBeLessThan(inner);
    const left = laneY(0, 2, src(60), { x: -300, y: 200 })!;
    const next = laneY(1, 2, src(200), { x: -100, y: 200 })!;
    expect(left).toBeLessThan(next);
  });

  it('turns just above the target when the edge skips a row, and leaves single outputs and loops alone', () => {
    const y = laneY(1, 2, src(200), { x: 130, y: 500 })!;
    expect(y).toBeGreaterThan(450);
    expect(y).toBeLessThan(500);
    expect(laneY(0, 1, src(100), { x: 300, y: 200 })).toBeUndefined();
    expect(laneY(0, 2, src(100), { x: 300, y: 20 })).toBeUndefined();
  });
});
