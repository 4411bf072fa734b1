import { safeZone } from '@hourglass/journey';
import { Context, type FS, Liquid, type Template } from 'liquidjs';
import { templateCost } from './liquid-cost';
import { type OnEmptyOutput, watchEmptyOutputs } from './liquid-empty';

/**
 * Resource limits of every template, wherever it is parsed or rendered (compile checks, preview,
 * test send, the worker's sends). Generous for real emails, which render in about a millisecond
 * and allocate a few thousand characters; tight enough that one hostile template cannot hold the
 * API's or the worker's event loop.
 * - parseLimit: characters per parse (liquidjs counts the source length of each `parse()` call);
 *   the longest template field the API accepts (an email body) is 200,000 characters.
 * - renderLimit: milliseconds per render (liquidjs compares the clock before every tag and output).
 * - memoryLimit: what liquidjs charges for allocations a render makes (ranges count their length,
 *   string and array filters the size of their result); a few million characters at most.
 * - loopBudget: loop iterations a template may ask for with literal ranges (`(1..2000)` nested in
 *   `(1..2000)` is four million); counted before rendering, so such templates never start.
 */
export const LIQUID_LIMITS = {
  parseLimit: 200_000,
  renderLimit: 200,
  memoryLimit: 4_000_000,
  loopBudget: 10_000,
} as const;

/** Why a template is refused outright (as opposed to a syntax or variable error). */
export type TemplateRefusalCode = 'liquid.file_access' | 'liquid.too_long' | 'liquid.too_expensive';

/** A template Hourglass will not run: reads files or exceeds a resource limit. */
export class TemplateRefused extends Error {
  constructor(
    readonly code: TemplateRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateRefused';
  }
}

/** Per-render settings the filters need (currency of the order, customer's zone and locale). */
export interface TemplateLocale {
  timeZone: string;
  locale: string;
  currency: string;
}

const DEFAULT_LOCALE: TemplateLocale = { timeZone: 'UTC', locale: 'en-US', currency: 'USD' };

/** A BCP 47 locale in canonical form, or en-US for anything else (stored data predates validation). */
export function safeLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE.locale;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE.locale;
  } catch {
    return DEFAULT_LOCALE.locale;
  }
}

/**
 * A render's context carries the customer's locale, so one engine serves every customer: the
 * built-in `date` filter reads zone and locale from the context's options, ours from `loc`.
 */
class LocaleContext extends Context {
  constructor(
    scope: object,
    engine: Liquid,
    readonly loc: TemplateLocale,
  ) {
    const opts = { ...engine.options, timezoneOffset: loc.timeZone, locale: loc.locale };
    super(scope, opts, {}, { liquid: engine });
  }
}

const localeOf = (ctx: Context) => (ctx instanceof LocaleContext ? ctx.loc : DEFAULT_LOCALE);

const fileAccess = (tag: string) =>
  new TemplateRefused(
    'liquid.file_access',
    `Templates cannot read files: {% ${tag} %} is not available (paste the content into the template instead)`,
  );

// Templates never touch the file system: these tags refuse at parse time, before any lookup.
const FILE_TAGS = ['include', 'render', 'layout'] as const;

// Defence in depth: were a file lookup ever reached, this file system has no files.
const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw fileAccess(`"${file}"`);
  },
  readFileSync: (file) => {
    throw fileAccess(`"${file}"`);
  },
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
  sep: '/',
  dirname: () => '',
};

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

/**
 * The one Liquid configuration (options, limits, filters, no file system). `html` escapes output
 * by default; it is a parse-time option in liquidjs, hence one engine per escaping mode.
 */
export function createLiquid(opts: { html?: boolean } = {}): Liquid {
  const engine = new Liquid({
    // A typo must fail the send loudly, never ship "Hi ," to thousands of customers.
    strictVariables: true,
    strictFilters: true,
    // `{% if customer.attributes.vip %}` on a customer without the attribute is a normal test.
    lenientIf: true,
    ownPropertyOnly: true,
    fs: noFiles,
    root: [],
    relativeReference: false,
    parseLimit: LIQUID_LIMITS.parseLimit,
    renderLimit: LIQUID_LIMITS.renderLimit,
    memoryLimit: LIQUID_LIMITS.memoryLimit,
    // Customer data is untrusted: escape it in HTML; `| raw` opts out for trusted snippets.
    ...(opts.html ? { outputEscape: 'escape' as const } : {}),
  });
  for (const tag of FILE_TAGS) {
    engine.registerTag(tag, {
      parse() {
        throw fileAccess(tag);
      },
      render() {
        throw fileAccess(tag);
      },
    });
  }
  engine.registerFilter('money', function (value: unknown, currency?: string) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return '';
    const loc = localeOf(this.context);
    return new Intl.NumberFormat(loc.locale, {
      style: 'currency',
      currency: currency ?? loc.currency,
    }).format(n);
  });
  engine.registerFilter('local_date', function (value: unknown, style = 'medium', withTime?: boolean) {
    const d = toDate(value);
    if (!d) return '';
    const loc = localeOf(this.context);
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
  return engine;
}

/** Parses a template and applies the static limits; throws TemplateRefused or a liquidjs error. */
export function parseTemplate(engine: Liquid, source: string): Template[] {
  if (source.length > LIQUID_LIMITS.parseLimit) {
    throw new TemplateRefused(
      'liquid.too_long',
      `Template is ${source.length.toLocaleString('en-US')} characters; the limit is ${LIQUID_LIMITS.parseLimit.toLocaleString('en-US')}`,
    );
  }
  let templates: Template[];
  try {
    templates = engine.parse(source);
  } catch (e) {
    throw refusalOf(e) ?? e;
  }
  const loops = templateCost(templates);
  if (loops > LIQUID_LIMITS.loopBudget) {
    throw new TemplateRefused(
      'liquid.too_expensive',
      `Loops would run ${loops.toLocaleString('en-US')} times; the limit is ${LIQUID_LIMITS.loopBudget.toLocaleString('en-US')}`,
    );
  }
  return templates;
}

/**
 * Parses and renders one template for one customer's zone, locale and currency, within the limits;
 * `onEmpty` hears of each `{{ variable }}` that rendered nothing (the preview's warnings).
 */
export async function renderTemplate(
  engine: Liquid,
  source: string,
  scope: Record<string, unknown>,
  loc: TemplateLocale,
  opts: { onEmpty?: OnEmptyOutput } = {},
): Promise<string> {
  const templates = parseTemplate(engine, source);
  if (opts.onEmpty) watchEmptyOutputs(templates, opts.onEmpty);
  const ctx = new LocaleContext(scope, engine, {
    timeZone: safeZone(loc.timeZone),
    locale: safeLocale(loc.locale),
    currency: loc.currency,
  });
  try {
    return await engine.render(templates, ctx);
  } catch (e) {
    throw refusalOf(e) ?? e;
  }
}

/** The refusal behind an error from parsing or rendering, if that is what it is. */
export function refusalOf(e: unknown): TemplateRefused | null {
  if (e instanceof TemplateRefused) return e;
  if (!(e instanceof Error)) return null;
  const original = (e as { originalError?: unknown }).originalError;
  if (original instanceof TemplateRefused) return original;
  // liquidjs's Limiter reports "<resource> limit exceeded".
  if (e.message.includes('template render limit exceeded'))
    return new TemplateRefused(
      'liquid.too_expensive',
      `Template took longer than ${LIQUID_LIMITS.renderLimit} ms to render`,
    );
  if (e.message.includes('memory alloc limit exceeded'))
    return new TemplateRefused(
      'liquid.too_expensive',
      `Template needs more than ${LIQUID_LIMITS.memoryLimit.toLocaleString('en-US')} units of memory to render`,
    );
  if (e.message.includes('parse length limit exceeded'))
    return new TemplateRefused(
      'liquid.too_long',
      `Template is longer than ${LIQUID_LIMITS.parseLimit.toLocaleString('en-US')} characters`,
    );
  return null;
}
