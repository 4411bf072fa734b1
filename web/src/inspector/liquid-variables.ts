import type { AvailableOutput } from '@hourglass/journey';
import { LIQUID_ROOTS } from '@hourglass/nodes';

/** A variable the template autocomplete offers after `{{` or `{%`. */
export interface LiquidVariable {
  /** What is inserted, e.g. `customer.firstName` or `steps.discount.code`. */
  path: string;
  /** Shown beside it (what the field is, or why it needs a default). */
  note?: string;
  /** Not produced on every path to this step: inside `{{ }}` it is inserted with `| default: ""`. */
  mayBeMissing?: boolean;
}

/** The Liquid roots plus the paths marketers use most. */
export const LIQUID_VARIABLES: readonly LiquidVariable[] = [
  ...LIQUID_ROOTS,
  'customer.firstName',
  'customer.lastName',
  'customer.name',
  'customer.email',
  'customer.attributes.',
  'customer.stats.ordersCount',
  'order.number',
  'order.total',
  'order.currency',
  'order.items[0].title',
  'order.items',
  'order.reviewUrl',
  'order.reorderUrl',
  'order.statusUrl',
  'trigger.properties.',
  'brand.name',
  'brand.url',
].map((path) => ({ path }));

/**
 * What a template at a step may use: the fixed variables, then `steps.<name>.<field>` for every output
 * of an earlier step that reaches it (from the same analysis journey compile checks templates with).
 * Outputs of later steps, or of steps on other paths, are not offered.
 */
export function liquidVariables(outputs: readonly AvailableOutput[] = []): LiquidVariable[] {
  const steps: LiquidVariable[] = [];
  const seen = new Set<string>();
  for (const o of outputs) {
    for (const f of o.fields) {
      const path = `steps.${o.name}.${f.key}`;
      if (seen.has(path)) continue;
      seen.add(path);
      steps.push(
        o.guaranteed
          ? { path, note: f.description || o.label }
          : { path, note: 'may be missing — adds | default', mayBeMissing: true },
      );
    }
  }
  return [...LIQUID_VARIABLES, ...steps];
}

/** The partial variable name being typed after `{{` (or `{%`) at the caret, or null. */
export function partialAt(text: string, caret: number): string | null {
  return liquidContextAt(text, caret)?.partial ?? null;
}

/** The partial variable name at the caret and whether it sits in an output tag `{{` (not `{%`). */
export function liquidContextAt(text: string, caret: number): { partial: string; output: boolean } | null {
  const m = /\{([{%])-?\s*([\w.[\]]*)$/.exec(text.slice(0, caret));
  return m ? { partial: m[2] ?? '', output: m[1] === '{' } : null;
}

/** Up to `limit` variables that complete what is typed. */
export function matchingVariables(
  variables: readonly LiquidVariable[],
  partial: string,
  limit = 8,
): LiquidVariable[] {
  return variables.filter((v) => v.path.startsWith(partial) && v.path !== partial).slice(0, limit);
}

/**
 * The text to insert for a chosen variable: a possibly missing output gets `| default: ""` inside
 * `{{ }}` (journey compile refuses it bare there; an `{% if %}` may test it as it is), and a full
 * path closes an output tag unless it is already closed (a `{% … %}` tag usually goes on).
 */
export function insertionFor(v: LiquidVariable, output: boolean, rest: string): string {
  if (!output) return v.path;
  const guard = v.mayBeMissing && !/^\s*\|\s*default\s*:/.test(rest) ? ' | default: ""' : '';
  const close = v.path.endsWith('.') || rest.trimStart().startsWith('}}') ? '' : ' }}';
  return v.path + guard + close;
}
