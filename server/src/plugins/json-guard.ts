import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from './errors';

/** Limits on any JSON input, beyond what each route's schema says. */
export const JSON_LIMITS = { maxDepth: 32, maxValues: 200_000 } as const;

/**
 * Rejects input PostgreSQL or the validators cannot take safely: nesting deeper than 32 levels (zod
 * recurses), NUL characters (text and jsonb refuse them), and absurd numbers of values. Iterative, so a
 * hostile payload cannot overflow the stack.
 */
export function jsonInputProblem(value: unknown): { path: string; message: string } | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  let seen = 0;
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (++seen > JSON_LIMITS.maxValues) return { path, message: 'too many values' };
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path, message: 'NUL characters are not allowed' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= JSON_LIMITS.maxDepth)
      return { path, message: `nested deeper than ${JSON_LIMITS.maxDepth} levels` };
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push({ v: item, path: `${path}.${i}`, depth: depth + 1 });
      });
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.includes('\u0000')) return { path, message: 'NUL characters are not allowed' };
      stack.push({ v: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

/** Runs jsonInputProblem on body, query and params before schema validation. */
export const jsonGuardPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      for (const [part, value] of [
        ['body', request.body],
        ['querystring', request.query],
        ['params', request.params],
      ] as const) {
        const problem = jsonInputProblem(value);
        if (problem) {
          const field = `${part}${problem.path}`;
          throw new ApiError(400, 'invalid_request', `${field}: ${problem.message}`, field);
        }
      }
    });
  },
  { name: 'json-guard' },
);
