import { z } from 'zod';

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Zod schema for any JSON value (finite numbers, plain objects, arrays). */
export const Json: z.ZodType<Json> = z.json() as z.ZodType<Json>;

/** Limits for `jsonProblem`; generous for configs, tight enough to refuse hostile payloads. */
export interface JsonLimits {
  maxDepth: number;
  maxValues: number;
}

const defaultLimits: JsonLimits = { maxDepth: 32, maxValues: 100_000 };

/**
 * Returns null when `value` is plain JSON within limits, else a short description of the first problem.
 * Iterative (no recursion) so a cyclic or absurdly deep value cannot overflow the stack; zod would.
 */
export function jsonProblem(
  value: unknown,
  limits: JsonLimits = defaultLimits,
): { path: string; message: string } | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  const onPath = new Set<unknown>();
  let seen = 0;
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (++seen > limits.maxValues) return { path, message: `too many values (max ${limits.maxValues})` };
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path, message: 'numbers must be finite' };
      continue;
    }
    if (typeof v !== 'object') return { path, message: `${typeof v} is not JSON` };
    if (depth >= limits.maxDepth) return { path, message: `nested deeper than ${limits.maxDepth} levels` };
    if (onPath.has(v)) return { path, message: 'value is cyclic' };
    // Shared (DAG) references are fine in JSON terms but cost nothing to reject as cyclic-looking; we only
    // track objects seen anywhere, which also bounds work on hostile aliasing.
    onPath.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return { path, message: 'only plain objects are JSON' };
    for (const key of Object.keys(v)) {
      stack.push({
        v: (v as Record<string, unknown>)[key],
        path: path ? `${path}.${key}` : key,
        depth: depth + 1,
      });
    }
  }
  return null;
}

/** Deep copy with object keys sorted, so `JSON.stringify` of the result is canonical. Drops `undefined`. */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v))) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // defineProperty so a hostile "__proto__" key stays data instead of swapping the prototype.
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value: canonicalize(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[key] = canonicalize(v);
    }
    return out as T;
  }
  return value;
}

/** Canonical JSON text: sorted keys, no whitespace. Same value → same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
