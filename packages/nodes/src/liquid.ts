import { type AvailableOutput, type NodeDiagnostic, outputRefProblem } from '@hourglass/journey';
import type { Template } from 'liquidjs';
import { createLiquid, parseTemplate, refusalOf } from './liquid-engine';

export type { OnEmptyOutput } from './liquid-empty';
export {
  createLiquid,
  LIQUID_LIMITS,
  parseTemplate,
  refusalOf,
  renderTemplate,
  safeLocale,
  type TemplateLocale,
  type TemplateRefusalCode,
  TemplateRefused,
} from './liquid-engine';

/** Top-level variables templates may use; anything else is almost certainly a typo. */
export const LIQUID_ROOTS = [
  'customer',
  'order',
  'trigger',
  'event',
  'workspace',
  'brand',
  'journey',
  'message',
  'unsubscribe_url',
  'preferences_url',
  'view_in_browser_url',
  'now',
  'steps',
] as const;

// The engine every send uses, so compile refuses exactly what a send would (files, limits, filters).
const engine = createLiquid();

/**
 * Whether the reference at (row, col) of `source` is optional: inside `{{ … | default: … }}` or the
 * condition of an `if`/`unless`/`elsif` (a missing value then renders the default or takes the else).
 */
function optionalAt(source: string, row: number, col: number): boolean {
  let offset = 0;
  for (let r = 1; r < row; r++) offset = source.indexOf('\n', offset) + 1;
  offset += col - 1;
  const open = Math.max(source.lastIndexOf('{{', offset), source.lastIndexOf('{%', offset));
  if (open < 0) return false;
  const close = source.indexOf(source[open + 1] === '{' ? '}}' : '%}', offset);
  const inner = source.slice(open + 2, close < 0 ? undefined : close).replace(/^-/, '');
  if (source[open + 1] === '{') return /\|\s*default\s*:/.test(inner);
  return /^\s*(if|unless|elsif)\b/.test(inner);
}

/** Diagnostics for `steps.<name>.<field>` references against the outputs reaching the node. */
function outputDiagnostics(
  source: string,
  templates: Template[],
  field: string,
  outputs: readonly AvailableOutput[],
): NodeDiagnostic[] {
  const out: NodeDiagnostic[] = [];
  const seen = new Set<string>();
  for (const v of engine.analyzeSync(templates).globals.steps ?? []) {
    const segments = v.segments.map((s) => (typeof s === 'object' ? '' : String(s)));
    const problem = outputRefProblem(outputs, segments, optionalAt(source, v.location.row, v.location.col));
    if (!problem || seen.has(problem.message)) continue;
    seen.add(problem.message);
    out.push({ field, ...problem });
  }
  return out;
}

/**
 * A `}}` or `%}` outside any tag: Liquid prints it as text, so `{{ name }} | default: "friend" }}` (an
 * autocompleted name typed past) silently shows the filter to the customer. A warning on the field.
 */
function strayBraces(source: string, field: string): NodeDiagnostic[] {
  const outside = source.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '');
  const stray = /\}\}|%\}/.exec(outside);
  if (!stray) return [];
  const context = outside.slice(Math.max(0, stray.index - 30), stray.index + 2).trim();
  return [
    {
      field,
      code: 'liquid.stray_braces',
      severity: 'warning',
      message: `"${context}": "${stray[0]}" closes no tag and will show as text; did a tag end too early?`,
    },
  ];
}

/**
 * Liquid syntax, file access, resource limit and unknown-variable diagnostics for one field, and
 * checks of `steps.<name>.<field>` against `outputs` (what reaches the node, NodeCompileContext.outputs).
 * Never throws.
 */
export function checkTemplate(
  source: string,
  field: string,
  outputs: readonly AvailableOutput[] = [],
): NodeDiagnostic[] {
  if (!source.includes('{')) return []; // plain text: nothing to parse, keeps big graphs fast
  let templates: Template[];
  try {
    templates = parseTemplate(engine, source);
  } catch (e) {
    const refused = refusalOf(e);
    if (refused) return [{ field, code: refused.code, message: refused.message }];
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return [{ field, code: 'liquid.syntax', message: `Template error: ${message}` }];
  }
  const out: NodeDiagnostic[] = strayBraces(source, field);
  try {
    const seen = new Set<string>();
    for (const name of engine.globalVariablesSync(templates)) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (!(LIQUID_ROOTS as readonly string[]).includes(name)) {
        out.push({
          field,
          code: 'liquid.unknown_variable',
          message: `Unknown variable "${name}" (use ${LIQUID_ROOTS.slice(0, 4).join(', ')}, …)`,
        });
      }
    }
    if (seen.has('steps')) out.push(...outputDiagnostics(source, templates, field, outputs));
  } catch {
    // Static analysis gave up on an exotic tag; syntax is fine, so do not block publishing.
  }
  return out;
}
