import { sha256 } from './hash';

/**
 * Picks a port from percentage weights, deterministically for a seed (`${runId}:${stepId}`): the first 32
 * bits of SHA-256(seed) mapped onto [0, total). Same seed → same port, in the workflow and in tests.
 */
export function pickWeighted(
  weights: ReadonlyArray<{ port: string; percent: number }>,
  seed: string,
): string | null {
  const total = weights.reduce((s, w) => s + Math.max(0, w.percent), 0);
  if (weights.length === 0 || total <= 0) return null;
  const d = sha256(seed);
  const x = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  let point = (x / 0x100000000) * total;
  for (const w of weights) {
    point -= Math.max(0, w.percent);
    if (point < 0) return w.port;
  }
  return weights[weights.length - 1]!.port;
}
