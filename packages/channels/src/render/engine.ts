import { safeZone } from '@hourglass/journey';
import {
  createLiquid,
  refusalOf,
  renderTemplate,
  type TemplateLocale,
  type TemplateRefusalCode,
} from '@hourglass/nodes';
import type { Liquid } from 'liquidjs';

/**
 * A template that cannot be rendered: never retried. `code` is `render_failed` for syntax,
 * unknown variables or filters, or the refusal (file access, a resource limit).
 */
export class RenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly code: 'render_failed' | TemplateRefusalCode = 'render_failed',
  ) {
    super(`${field}: ${message}`);
    this.name = 'RenderError';
  }
}

// A customer with a garbage zone still gets a message: unknown zones fall back to UTC.
export { safeZone };

/** Per-render settings the filters need (currency of the order, customer's zone and locale). */
export type RenderLocale = TemplateLocale;

// One engine per escaping mode serves every customer: zone, locale and currency travel with
// each render (see renderTemplate), so nothing here grows with the customers' locales.
const engines = { text: createLiquid(), html: createLiquid({ html: true }) } as const;

/** The shared engine for plain-text or HTML-escaped fields. */
export const liquidFor = (html: boolean): Liquid => (html ? engines.html : engines.text);

/** Renders one field (`onEmpty` hears of empty outputs); every liquidjs failure becomes a RenderError naming the field. */
export async function renderField(
  field: string,
  source: string,
  scope: Record<string, unknown>,
  loc: RenderLocale,
  html = false,
  onEmpty?: (variable: string) => void,
): Promise<string> {
  if (!source.includes('{')) return source;
  try {
    return await renderTemplate(liquidFor(html), source, scope, loc, onEmpty ? { onEmpty } : {});
  } catch (e) {
    const refused = refusalOf(e);
    if (refused) throw new RenderError(field, refused.message, refused.code);
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new RenderError(field, message);
  }
}
