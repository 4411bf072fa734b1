import { z } from 'zod';

// The parts of Shopify's webhook bodies the connector reads, with Shopify's own field names. Loose on
// purpose: Shopify adds fields across API versions, and whatever is not read here is ignored.

/** Ids arrive as JSON numbers (kept as text when beyond 2^53, see parseShopifyJson) or strings. */
const Id = z.union([z.number().int(), z.string().regex(/^\d{1,30}$/)]).transform(String);
const Text = z.string().max(5000).nullish();
/** Shopify sends money as decimal strings ("199.00"). */
export const Money = z.string().regex(/^-?\d{1,13}(\.\d{1,10})?$/, 'decimal amount such as "19.99"');
const Instant = z.iso.datetime({ offset: true }).nullish();

/** email_marketing_consent / sms_marketing_consent. */
export const ShopifyConsent = z
  .object({ state: z.string().max(50).nullish(), consent_updated_at: Instant })
  .nullish();

/** A customer, as in customers/* bodies and inside an order. */
export const ShopifyCustomer = z.object({
  id: Id,
  email: Text,
  phone: Text,
  first_name: Text,
  last_name: Text,
  tags: Text,
  updated_at: Instant,
  email_marketing_consent: ShopifyConsent,
  sms_marketing_consent: ShopifyConsent,
});
export type ShopifyCustomer = z.infer<typeof ShopifyCustomer>;

/** One order line. */
export const ShopifyLineItem = z.object({
  id: Id.nullish(),
  title: Text,
  name: Text,
  sku: Text,
  variant_id: Id.nullish(),
  variant_title: Text,
  product_id: Id.nullish(),
  quantity: z.number().int().min(0).max(1_000_000),
  price: Money.nullish(),
});

/** orders/create, orders/paid, orders/cancelled. */
export const ShopifyOrder = z.object({
  id: Id,
  name: Text,
  order_number: z.number().int().nullish(),
  email: Text,
  phone: Text,
  created_at: Instant,
  processed_at: Instant,
  updated_at: Instant,
  cancelled_at: Instant,
  cancel_reason: Text,
  currency: z.string().max(3).nullish(),
  total_price: Money.nullish(),
  subtotal_price: Money.nullish(),
  total_tax: Money.nullish(),
  total_discounts: Money.nullish(),
  financial_status: Text,
  fulfillment_status: Text,
  order_status_url: Text,
  customer_locale: Text,
  discount_codes: z
    .array(z.object({ code: z.string().max(255) }))
    .max(100)
    .nullish(),
  line_items: z.array(ShopifyLineItem).max(1000).nullish(),
  customer: ShopifyCustomer.nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

/** fulfillments/create, fulfillments/update. */
export const ShopifyFulfillment = z.object({
  id: Id,
  order_id: Id,
  name: Text,
  status: Text,
  shipment_status: Text,
  created_at: Instant,
  updated_at: Instant,
  email: Text,
  tracking_company: Text,
  tracking_number: Text,
  tracking_numbers: z.array(z.string().max(500)).max(50).nullish(),
  tracking_url: Text,
  tracking_urls: z.array(z.string().max(2000)).max(50).nullish(),
});
export type ShopifyFulfillment = z.infer<typeof ShopifyFulfillment>;

/** refunds/create. */
export const ShopifyRefund = z.object({
  id: Id,
  order_id: Id,
  created_at: Instant,
  processed_at: Instant,
  note: Text,
  transactions: z
    .array(
      z.object({
        kind: Text,
        status: Text,
        amount: Money.nullish(),
        currency: z.string().max(3).nullish(),
      }),
    )
    .max(100)
    .nullish(),
  refund_line_items: z
    .array(
      z.object({
        quantity: z.number().int().min(0).nullish(),
        subtotal: z.union([Money, z.number()]).nullish(),
        line_item: z.object({ title: Text, sku: Text, product_id: Id.nullish() }).nullish(),
      }),
    )
    .max(1000)
    .nullish(),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

/**
 * JSON.parse, except that integers too large for a double (Shopify's sample ids are) stay exact, as
 * strings. Strings are matched first, so digits inside a string are never touched.
 */
export function parseShopifyJson(raw: string): unknown {
  return JSON.parse(
    raw.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g, (token) =>
      token.startsWith('"') || Number.isSafeInteger(Number(token)) ? token : `"${token}"`,
    ),
  );
}
