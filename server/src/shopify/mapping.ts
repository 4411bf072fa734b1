import type { EventCustomer, EventInput, EventOrder, ShopifyWebhookTopic } from '@hourglass/contract';
import type { OrderTrackingInput } from '@hourglass/db';
import type { z } from 'zod';
import {
  type ShopifyConsent,
  ShopifyCustomer,
  ShopifyFulfillment,
  ShopifyOrder,
  ShopifyRefund,
} from './payloads';

// The one place Shopify's webhook bodies become Hourglass events. docs/shopify.md has the same table
// in words; keep the two together.

/** What a webhook comes to: the events to ingest, and the resource whose staleness to check. */
export interface Mapped {
  events: EventInput[];
  /** The resource a newer update supersedes (`fulfillment:<id>`, `customer:<id>`), with its version. */
  resource: { key: string; updatedAt: Date | null } | null;
  /** Fulfilments and refunds name only their order: whose customer ingest must find. */
  orderExternalId: string | null;
  /** Order fields events do not carry (status page, tracking), set once the events are stored. */
  tracking?: { orderExternalId: string; fields: OrderTrackingInput };
  /** Why nothing is ingested, when `events` is empty. */
  skipped?: string;
}

/** Where a mapping is told what the body does not carry. */
export interface MapContext {
  webhookId: string;
  /** X-Shopify-Triggered-At, the version of last resort. */
  triggeredAt: Date | null;
  /** The customer of the order a fulfilment or refund names, as ingest should find it. */
  orderCustomer: EventCustomer | null;
}

/** A body that does not have the shape its topic promises: the field at fault. */
export class ShopifyPayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ShopifyPayloadError(['body', ...(issue?.path ?? [])].join('.'), issue?.message ?? 'invalid');
}

const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}$/;
const PHONE = /^\+?[0-9 ().-]{4,32}$/;
const present = (s: string | null | undefined) => (s?.trim() ? s.trim() : undefined);
const email = (s: string | null | undefined) => {
  const v = present(s);
  return v && EMAIL.test(v) && v.length <= 320 ? v : undefined;
};
const phone = (s: string | null | undefined) => {
  const v = present(s);
  return v && PHONE.test(v) ? v : undefined;
};
const webUrl = (s: string | null | undefined) => {
  const v = present(s);
  if (!v || v.length > 2000) return undefined;
  try {
    return /^https?:$/.test(new URL(v).protocol) ? v : undefined;
  } catch {
    return undefined;
  }
};
const name = (s: string | null | undefined) => present(s)?.slice(0, 200);
const amount = (s: string | null | undefined) => (s ? Number(s) : undefined);
const instant = (s: string | null | undefined) => (s ? new Date(s) : null);
const iso = (d: Date | null) => d?.toISOString();

/**
 * Shopify's consent states onto ours: only `subscribed` allows marketing; `not_subscribed`,
 * `unsubscribed`, `pending`, `redacted` and `invalid` do not. Absent consent changes nothing.
 */
export function consentOf(c: z.output<typeof ShopifyConsent>): 'subscribed' | 'unsubscribed' | undefined {
  if (!c?.state) return undefined;
  return c.state.toLowerCase() === 'subscribed' ? 'subscribed' : 'unsubscribed';
}

function customerOf(c: ShopifyCustomer, consent: 'all' | 'opt-out only'): EventCustomer {
  const keep = (v: 'subscribed' | 'unsubscribed' | undefined) =>
    consent === 'all' || v === 'unsubscribed' ? v : undefined;
  const emailConsent = keep(consentOf(c.email_marketing_consent));
  const smsConsent = keep(consentOf(c.sms_marketing_consent));
  const tags = (c.tags ?? '')
    .split(',')
    .map((t) => t.trim().slice(0, 100))
    .filter(Boolean)
    .slice(0, 100);
  return {
    externalId: c.id,
    email: email(c.email),
    phone: phone(c.phone),
    firstName: name(c.first_name),
    lastName: name(c.last_name),
    ...(tags.length > 0 && consent === 'all' && { tags }),
    ...((emailConsent || smsConsent) && { consent: { email: emailConsent, sms: smsConsent } }),
  };
}

function orderOf(o: ShopifyOrder): EventOrder {
  const currency = /^[A-Za-z]{3}$/.test(o.currency ?? '') ? o.currency?.toUpperCase() : undefined;
  return {
    externalId: o.id,
    total: amount(o.total_price),
    currency,
    items: (o.line_items ?? []).map((l) => {
      const title = name(l.title ?? l.name);
      const sku = present(l.sku)?.slice(0, 200);
      const price = amount(l.price);
      return {
        ...(title && { name: title }),
        title: title ?? null,
        ...(sku && { sku }),
        ...(l.product_id && { productId: l.product_id }),
        variantId: l.variant_id ?? null,
        variant: name(l.variant_title) ?? null,
        quantity: l.quantity,
        ...(price !== undefined && { price }),
      };
    }),
    discountCodes: (o.discount_codes ?? [])
      .map((d) => d.code.trim().slice(0, 100))
      .filter(Boolean)
      .slice(0, 20),
  };
}

const orderProperties = (o: ShopifyOrder) => ({
  source: 'shopify',
  orderName: o.name ?? null,
  orderNumber: o.order_number ?? null,
  statusUrl: webUrl(o.order_status_url) ?? null,
  totalPrice: o.total_price ?? null,
  subtotalPrice: o.subtotal_price ?? null,
  totalTax: o.total_tax ?? null,
  totalDiscounts: o.total_discounts ?? null,
  financialStatus: o.financial_status ?? null,
});

/** Who an order is about: its customer record, or the guest's contact details. */
function orderCustomer(o: ShopifyOrder): EventCustomer | null {
  if (o.customer) {
    const c = customerOf(o.customer, 'opt-out only');
    return { ...c, email: c.email ?? email(o.email), phone: c.phone ?? phone(o.phone) };
  }
  const guest = { email: email(o.email), phone: phone(o.phone) };
  return guest.email || guest.phone ? guest : null;
}

const ORDER_TOPICS = {
  'orders/create': { type: 'order.placed', suffix: 'placed' },
  'orders/paid': { type: 'order.paid', suffix: 'paid' },
  'orders/cancelled': { type: 'order.cancelled', suffix: 'cancelled' },
} as const;

function mapOrder(topic: keyof typeof ORDER_TOPICS, body: unknown, ctx: MapContext): Mapped {
  const o = parse(ShopifyOrder, body);
  const { type, suffix } = ORDER_TOPICS[topic];
  const customer = orderCustomer(o);
  if (!customer) return { events: [], resource: null, orderExternalId: null, skipped: 'no customer' };
  const at =
    topic === 'orders/create'
      ? instant(o.processed_at ?? o.created_at)
      : topic === 'orders/cancelled'
        ? instant(o.cancelled_at)
        : instant(o.updated_at);
  const placedAt = instant(o.processed_at ?? o.created_at);
  const event: EventInput = {
    id: `shopify:order:${o.id}:${suffix}`,
    type,
    occurredAt: iso(at ?? ctx.triggeredAt),
    customer,
    order: { ...orderOf(o), placedAt: iso(placedAt) },
    properties: {
      ...orderProperties(o),
      ...(topic === 'orders/cancelled' && { cancelReason: o.cancel_reason ?? null }),
    },
  };
  const statusUrl = webUrl(o.order_status_url);
  const tracking = statusUrl ? { orderExternalId: o.id, fields: { statusUrl } } : undefined;
  return { events: [event], resource: null, orderExternalId: null, ...(tracking && { tracking }) };
}

/** Where a fulfilment's shipment stands, as our event type; null when it is no news for customers. */
export function fulfilmentEventType(status: string | null | undefined, shipment: string | null | undefined) {
  if (status && status !== 'success') return null; // pending, open, cancelled, error, failure
  switch (shipment) {
    case 'out_for_delivery':
      return 'order.out_for_delivery';
    case 'delivered':
      return 'order.delivered';
    case 'attempted_delivery':
      return 'order.delivery_attempted';
    case 'failure':
    case 'delayed':
      return 'order.delivery_failed';
    default:
      // label_printed, label_purchased, confirmed, in_transit, ready_for_pickup, picked_up, none yet
      return 'order.fulfilled';
  }
}

// Attempts and problems can happen more than once to one parcel; the other stages only once.
const REPEATABLE = new Set(['order.delivery_attempted', 'order.delivery_failed']);

function mapFulfilment(body: unknown, ctx: MapContext): Mapped {
  const f = parse(ShopifyFulfillment, body);
  const updatedAt = instant(f.updated_at) ?? ctx.triggeredAt;
  const resource = { key: `fulfillment:${f.id}`, updatedAt };
  const base = { resource, orderExternalId: f.order_id };
  const type = fulfilmentEventType(f.status, f.shipment_status);
  if (!type) return { ...base, events: [], skipped: `fulfillment status ${f.status}` };
  const customer = ctx.orderCustomer ?? (email(f.email) ? { email: email(f.email) } : null);
  if (!customer) return { ...base, events: [], skipped: 'order not known and no email' };
  const stage = type.slice('order.'.length);
  const version = REPEATABLE.has(type) ? `:${updatedAt?.getTime() ?? ctx.webhookId}` : '';
  const trackingNumber = present(f.tracking_number) ?? f.tracking_numbers?.[0] ?? null;
  const trackingUrl = webUrl(f.tracking_url) ?? webUrl(f.tracking_urls?.[0]) ?? null;
  const trackingCompany = present(f.tracking_company)?.slice(0, 200) ?? null;
  const event: EventInput = {
    id: `shopify:fulfillment:${f.id}:${stage}${version}`,
    type,
    occurredAt: iso(updatedAt),
    customer,
    order: { externalId: f.order_id },
    properties: {
      source: 'shopify',
      fulfillmentId: f.id,
      fulfillmentName: f.name ?? null,
      shipmentStatus: f.shipment_status ?? null,
      trackingCompany,
      trackingNumber,
      trackingUrl,
    },
  };
  // A parcel without tracking yet leaves what the order has.
  const fields = Object.fromEntries(
    Object.entries({ trackingNumber, trackingUrl, trackingCompany }).filter(([, v]) => v !== null),
  );
  const tracking = Object.keys(fields).length ? { orderExternalId: f.order_id, fields } : undefined;
  return { ...base, events: [event], ...(tracking && { tracking }) };
}

/** The sum of a refund's successful refund transactions, as a decimal string (exact, in cents). */
function refundTotal(r: ShopifyRefund): string | null {
  const ok = (r.transactions ?? []).filter((t) => t.kind === 'refund' && t.status !== 'failure' && t.amount);
  if (ok.length === 0) return null;
  const scale = 10_000n;
  const units = ok.reduce((sum, t) => {
    const [whole = '0', frac = ''] = (t.amount ?? '0').replace('-', '').split('.');
    return sum + BigInt(whole) * scale + BigInt(frac.slice(0, 4).padEnd(4, '0'));
  }, 0n);
  const frac = (units % scale).toString().padStart(4, '0').slice(0, 2);
  return `${units / scale}.${frac}`;
}

function mapRefund(body: unknown, ctx: MapContext): Mapped {
  const r = parse(ShopifyRefund, body);
  const base = { resource: null, orderExternalId: r.order_id };
  if (!ctx.orderCustomer) return { ...base, events: [], skipped: 'order not known' };
  const event: EventInput = {
    id: `shopify:refund:${r.id}`,
    type: 'order.refunded',
    occurredAt: iso(instant(r.processed_at ?? r.created_at) ?? ctx.triggeredAt),
    customer: ctx.orderCustomer,
    order: { externalId: r.order_id },
    properties: {
      source: 'shopify',
      refundId: r.id,
      amount: refundTotal(r),
      currency: r.transactions?.find((t) => t.currency)?.currency ?? null,
      note: r.note?.slice(0, 1000) ?? null,
      items: (r.refund_line_items ?? []).map((l) => ({
        title: l.line_item?.title ?? null,
        sku: l.line_item?.sku ?? null,
        quantity: l.quantity ?? null,
        subtotal: l.subtotal === null || l.subtotal === undefined ? null : String(l.subtotal),
      })),
    },
  };
  return { ...base, events: [event] };
}

function mapCustomer(topic: 'customers/create' | 'customers/update', body: unknown, ctx: MapContext): Mapped {
  const c = parse(ShopifyCustomer, body);
  const updatedAt = instant(c.updated_at) ?? ctx.triggeredAt;
  const event: EventInput = {
    id: `shopify:customer:${c.id}:${ctx.webhookId}`.slice(0, 200),
    type: topic === 'customers/create' ? 'customer.created' : 'customer.updated',
    occurredAt: iso(updatedAt),
    customer: customerOf(c, 'all'),
    properties: { source: 'shopify' },
  };
  return { events: [event], resource: { key: `customer:${c.id}`, updatedAt }, orderExternalId: null };
}

/** Maps a verified webhook body of `topic` onto Hourglass events (throws ShopifyPayloadError on a bad body). */
export function mapShopifyWebhook(topic: ShopifyWebhookTopic, body: unknown, ctx: MapContext): Mapped {
  switch (topic) {
    case 'orders/create':
    case 'orders/paid':
    case 'orders/cancelled':
      return mapOrder(topic, body, ctx);
    case 'fulfillments/create':
    case 'fulfillments/update':
      return mapFulfilment(body, ctx);
    case 'refunds/create':
      return mapRefund(body, ctx);
    case 'customers/create':
    case 'customers/update':
      return mapCustomer(topic, body, ctx);
  }
}

/** The order a body names, read before mapping so its customer can be looked up (fulfilments, refunds). */
export function orderIdOf(topic: ShopifyWebhookTopic, body: unknown): string | null {
  if (!topic.startsWith('fulfillments/') && topic !== 'refunds/create') return null;
  const id = (body as { order_id?: unknown } | null)?.order_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}
