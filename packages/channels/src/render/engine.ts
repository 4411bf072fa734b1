import { safeZone } from '@hourglass/journey';
import { Liquid } from 'liquidjs';

/** A template that cannot be rendered (syntax, unknown variable, unknown filter): never retried. */
export class RenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'RenderError';
  }
}

// A customer with a garbage zone still gets a message: unknown zones fall back to UTC.
export { safeZone };

const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
type DateStyle = (typeof DATE_STYLES)[number];

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value === 'now' ? Date.now() : value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Per-render settings the filters need (currency of the order, customer's zone and locale). */
export interface RenderLocale {
  timeZone: string;
  locale: string;
  currency: string;
}

// Engines are cached per zone / locale / escaping; the set of zones in use is small.
const engines = new Map<string, Liquid>();

function engineFor(loc: RenderLocale, html: boolean): Liquid {
  const key = `${loc.timeZone}|${loc.locale}|${loc.currency}|${html}`;
  let engine = engines.get(key);
  if (engine) return engine;
  engine = new Liquid({
    // A typo must fail the send loudly, never ship "Hi ," to thousands of customers.
    strictVariables: true,
    strictFilters: true,
    // `{% if customer.attributes.vip %}` on a customer without the attribute is a normal test.
    lenientIf: true,
    ownPropertyOnly: true,
    timezoneOffset: loc.timeZone,
    locale: loc.locale,
    // Customer data is untrusted: escape it in HTML; `| raw` opts out for trusted snippets.
    ...(html ? { outputEscape: 'escape' as const } : {}),
  });
  engine.registerFilter('money', (value: unknown, currency?: string) => {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return '';
    return new Intl.NumberFormat(loc.locale, {
      style: 'currency',
      currency: currency ?? loc.currency,
    }).format(n);
  });
  engine.registerFilter('local_date', (value: unknown, style: string = 'medium', withTime?: boolean) => {
    const d = toDate(value);
    if (!d) return '';
    const dateStyle: DateStyle = (DATE_STYLES as readonly string[]).includes(style)
      ? (style as DateStyle)
      : 'medium';
    return new Intl.DateTimeFormat(loc.locale, {
      dateStyle,
      ...(withTime ? { timeStyle: 'short' as const } : {}),
      timeZone: loc.timeZone,
    }).format(d);
  });
  engine.registerFilter('first_name', (customer: unknown, fallback = 'there') => {
    const c = (customer ?? {}) as { firstName?: unknown };
    return typeof c.firstName === 'string' && c.firstName.trim() ? c.firstName.trim() : fallback;
  });
  engines.set(key, engine);
  return engine;
}

/** Renders one field; every liquidjs failure becomes a RenderError naming the field. */
export async function renderField(
  field: string,
  source: string,
  scope: Record<string, unknown>,
  loc: RenderLocale,
  html = false,
): Promise<string> {
  if (!source.includes('{')) return source;
  try {
    return await engineFor(loc, html).parseAndRender(source, scope);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new RenderError(field, message);
  }
}
