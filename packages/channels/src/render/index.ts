import { brandSubject } from '@hourglass/db';
import { fillLinkTemplate, type LinkValues, ORDER_LINKS, type OrderLink } from '@hourglass/journey';
import { safeLocale } from '@hourglass/nodes';
import { Drop } from 'liquidjs';
import { renderBlockEmail } from './block-email';
import { RenderError, type RenderLocale, renderField, safeZone } from './engine';
import { bodyToHtml, emailLayout, htmlToText } from './layout';
import { type SmsSegments, smsSegments, withOptOutFooter } from './sms';
import type { EmailTemplate, RenderedEmail, RenderInput } from './types';
import { EmptyVariables, type EmptyVariableWarning } from './warnings';

export { blockBrand, blocksToMjml, compileBlocks, safeUrls } from './blocks';
export { bodyToHtml, emailLayout, htmlToText } from './layout';
export { type SmsSegments, smsSegments, withOptOutFooter } from './sms';
export type { EmailTemplate, RenderedEmail, RenderInput } from './types';
export type { EmptyVariableWarning } from './warnings';
export { RenderError, safeZone };

type Json = unknown;

/** A rendered SMS with its billing shape. */
export interface RenderedSms extends SmsSegments {
  text: string;
}

/**
 * Free-form data (customer attributes, event properties): a missing key is data the shop did not
 * send, not a template typo, so under strict variables it renders empty instead of failing the send.
 */
class FreeForm extends Drop {
  constructor(values: Record<string, unknown>) {
    super();
    Object.assign(this, values);
  }
  override liquidMethodMissing(): null {
    return null;
  }
}

const freeForm = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? new FreeForm(v as Record<string, unknown>) : {};

/** An event with free-form properties. */
function eventScope(e: Record<string, Json> | null | undefined) {
  return e ? { ...e, properties: freeForm(e.properties) } : null;
}

function localeOf(input: RenderInput): RenderLocale {
  const currency = typeof input.order?.currency === 'string' ? input.order.currency : 'USD';
  return {
    timeZone: safeZone(input.customer.timeZone),
    // Stored locales predate validation: anything Intl does not accept renders as en-US.
    locale: safeLocale(input.customer.locale),
    currency: /^[A-Z]{3}$/.test(currency) ? currency : 'USD',
  };
}

/**
 * The Liquid scope. Known fields are always present (null when unknown) so strict variables
 * only fire on real typos, and `| default:` works on a customer without a first name.
 */
export function templateScope(input: RenderInput, channel: 'email' | 'sms'): Record<string, unknown> {
  const c = input.customer;
  // The links the seed templates use: the order's own, else the brand's link templates filled for this
  // order and customer, else null (renders empty, not a typo error; the preview warns).
  const order = input.order
    ? {
        currency: 'USD',
        // Tracking comes from store connectors; an order without it renders empty, not a typo error.
        trackingNumber: null,
        trackingUrl: null,
        trackingCompany: null,
        ...input.order,
        ...orderLinks(input),
        items: Array.isArray(input.order.items) ? input.order.items.map(itemScope) : [],
      }
    : null;
  return {
    customer: {
      id: c.id,
      email: c.email ?? null,
      phone: c.phone ?? null,
      firstName: c.firstName ?? null,
      lastName: c.lastName ?? null,
      name: [c.firstName, c.lastName].filter(Boolean).join(' ') || null,
      externalId: c.externalId ?? null,
      // Templates have always spelled it timeZone, rules timezone: both read the same value.
      timeZone: c.timeZone ?? c.timezone ?? null,
      timezone: c.timezone ?? c.timeZone ?? null,
      locale: c.locale ?? null,
      birthday: c.birthday ?? null,
      createdAt: c.createdAt ?? null,
      tags: c.tags ?? [],
      attributes: freeForm(c.attributes),
      consent: c.consent ?? {},
      stats: c.stats ?? {},
    },
    order,
    trigger: eventScope(input.trigger),
    event: eventScope(input.event ?? input.trigger),
    workspace: { id: input.workspace.id, name: input.workspace.name },
    brand: brandSubject(input.workspace),
    journey: { id: input.journeyId ?? null },
    // A step that has not run (or failed and continued) renders empty, so `| default:` applies; the
    // compiler already refuses a reference that could be missing without one.
    steps: new FreeForm(
      Object.fromEntries(Object.entries(input.steps ?? {}).map(([name, out]) => [name, freeForm(out)])),
    ),
    message: { channel },
    unsubscribe_url: input.unsubscribeUrl ?? null,
    preferences_url: input.unsubscribeUrl ?? null,
    view_in_browser_url: null,
    now: (input.now ?? new Date()).toISOString(),
  };
}

/** Hears of each `{{ variable }}` that rendered nothing, with the field it is in (the preview's warnings). */
export type OnEmptyVariable = (field: string, variable: string) => void;

/** Renders subject, preheader and body into the branded layout plus a plain-text part. */
export async function renderEmail(
  template: EmailTemplate,
  input: RenderInput,
  opts: { onEmpty?: OnEmptyVariable } = {},
): Promise<RenderedEmail> {
  const scope = templateScope(input, 'email');
  const loc = localeOf(input);
  const heard = (field: string) => (opts.onEmpty ? (v: string) => opts.onEmpty?.(field, v) : undefined);
  if (template.blocks) return renderBlockEmail(template.blocks, template, input, scope, loc, heard);
  const [subject, preheader, body] = await Promise.all([
    renderField('subject', template.subject, scope, loc, false, heard('subject')),
    renderField('preheader', template.preheader, scope, loc, false, heard('preheader')),
    renderField('body', template.body, scope, loc, true, heard('body')),
  ]);
  const bodyHtml = bodyToHtml(body);
  const brand = input.workspace.settings.brand;
  const html = emailLayout({
    bodyHtml,
    preheader,
    subject,
    brand: { ...brand, name: brand.name || input.workspace.name },
    unsubscribeUrl: input.unsubscribeUrl ?? null,
  });
  const footer = [brand.address, input.unsubscribeUrl ? `Unsubscribe: ${input.unsubscribeUrl}` : '']
    .filter(Boolean)
    .join('\n');
  const text = [htmlToText(bodyHtml), footer].filter(Boolean).join('\n\n-- \n');
  return { subject: subject.replace(/\s+/g, ' ').trim(), preheader: preheader.trim(), html, text };
}

/** Renders an SMS; marketing texts get opt-out instructions when the author left them out. */
export async function renderSms(
  template: { text: string },
  input: RenderInput,
  opts: { marketing: boolean; onEmpty?: OnEmptyVariable },
): Promise<RenderedSms> {
  const { onEmpty } = opts;
  const scope = templateScope(input, 'sms');
  const heard = onEmpty ? (v: string) => onEmpty('text', v) : undefined;
  const raw = await renderField('text', template.text, scope, localeOf(input), false, heard);
  const text = opts.marketing ? withOptOutFooter(raw.trim()) : raw.trim();
  return { text, ...smsSegments(text) };
}

/** Preview of a node's templates with sample or real data (editor preview endpoint). */
export type PreviewRequest =
  | ({ channel: 'email' } & EmailTemplate & { transactional?: boolean })
  | { channel: 'sms'; text: string; transactional?: boolean };

/**
 * Renders a preview, with a warning for each `{{ variable }}` that renders nothing for this customer and
 * order; a template error comes back as `{ ok: false, field, message, code }` instead of throwing.
 */
export async function renderPreview(
  request: PreviewRequest,
  input: RenderInput,
): Promise<
  | { ok: true; channel: 'email'; email: RenderedEmail; warnings: EmptyVariableWarning[] }
  | { ok: true; channel: 'sms'; sms: RenderedSms; warnings: EmptyVariableWarning[] }
  | { ok: false; field: string; message: string; code: RenderError['code'] }
> {
  const preview = { ...input, unsubscribeUrl: input.unsubscribeUrl ?? 'https://example.com/unsubscribe' };
  const empty = new EmptyVariables();
  const onEmpty = empty.add;
  try {
    if (request.channel === 'email') {
      const email = await renderEmail(request, preview, { onEmpty });
      return { ok: true, channel: 'email', email, warnings: empty.warnings(input.order !== null) };
    }
    const sms = await renderSms(request, preview, { marketing: !request.transactional, onEmpty });
    return { ok: true, channel: 'sms', sms, warnings: empty.warnings(input.order !== null) };
  } catch (e) {
    if (e instanceof RenderError) return { ok: false, field: e.field, message: e.message, code: e.code };
    throw e;
  }
}

/** `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl`: the order's own, else from the settings. */
function orderLinks(input: RenderInput): Record<OrderLink, string | null> {
  const order = input.order ?? {};
  const items = Array.isArray(order.items) ? order.items : [];
  const first = (items[0] ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : null);
  const values: LinkValues = {
    'order.number': text(order.number) ?? text(order.externalId),
    'order.externalId': text(order.externalId) ?? text(order.number),
    'order.id': text(order.id),
    'customer.externalId': input.customer.externalId ?? null,
    'customer.id': input.customer.id,
    sku: text(first.sku),
    productId: text(first.productId),
  };
  const templates = input.workspace.settings.links ?? {};
  const out = {} as Record<OrderLink, string | null>;
  for (const key of ORDER_LINKS) {
    const own = order[key];
    const template = templates[key];
    out[key] = typeof own === 'string' && own ? own : template ? fillLinkTemplate(template, values) : null;
  }
  return out;
}

/** An order line with both `name` (what the events API takes) and `title` (what shops often send). */
function itemScope(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const line = item as Record<string, unknown>;
  const name = line.name ?? line.title ?? null;
  return { ...line, name, title: line.title ?? name };
}
