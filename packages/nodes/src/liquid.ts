import type { NodeDiagnostic } from '@hourglass/journey';
import type { Template } from 'liquidjs';
import { createLiquid, parseTemplate, refusalOf } from './liquid-engine';

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
] as const;

// The engine every send uses, so compile refuses exactly what a send would (files, limits, filters).
const engine = createLiquid();

/** Liquid syntax, file access, resource limit and unknown-variable diagnostics for one field. Never throws. */
export function checkTemplate(source: string, field: string): NodeDiagnostic[] {
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
  const out: NodeDiagnostic[] = [];
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
  } catch {
    // Static analysis gave up on an exotic tag; syntax is fine, so do not block publishing.
  }
  return out;
}
