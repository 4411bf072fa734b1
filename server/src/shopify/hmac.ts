import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `header` (X-Shopify-Hmac-Sha256) is the base64 HMAC-SHA256 of the exact bytes received,
 * keyed with the app's client secret. Compared in constant time; a missing or malformed header fails.
 */
export function verifyShopifyHmac(raw: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > 100) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Shopify would send for `raw` (the fake sender and tests sign with it). */
export function signShopifyBody(raw: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}
