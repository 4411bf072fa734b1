import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './secrets';

// Click tracking through our own short redirect: each link of a tracked message becomes
// `<public URL>/r/<token>`, the token naming the message and the link's position and signed with the
// server's secret. The original links are stored with the message, so a token can only ever lead to a
// link that message contained: no open redirect, and a forged token has no message to name.

/** How long a tracked link keeps redirecting after its message was sent, unless configured. */
export const DEFAULT_LINK_TTL_DAYS = 90;

// A message carries at most this many tracked links (one byte of index); any further are left as they are.
const MAX_LINKS = 255;
// 96 bits of HMAC-SHA256: forging one takes 2^96 guesses, and it keeps an SMS link short.
const MAC_BYTES = 12;
const UUID_HEX = /^[0-9a-f]{32}$/;

const macOf = (secretKey: string, payload: Buffer) =>
  createHmac('sha256', deriveKey(secretKey, 'tracked-link')).update(payload).digest().subarray(0, MAC_BYTES);

/** The signed token of link `index` of message `messageId` (39 URL-safe characters). */
export function signLinkToken(secretKey: string, messageId: string, index: number): string {
  const payload = Buffer.concat([Buffer.from(messageId.replace(/-/g, ''), 'hex'), Buffer.from([index])]);
  return Buffer.concat([payload, macOf(secretKey, payload)]).toString('base64url');
}

/** What a valid token names, or null when it is malformed or its signature does not match. */
export function verifyLinkToken(
  secretKey: string,
  token: string,
): { messageId: string; index: number } | null {
  if (!/^[A-Za-z0-9_-]{39}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // 39 characters carry 234 bits for 232: the decoder ignores the last character's two spare bits, so
  // only the one canonical spelling of a token counts (one link, one URL).
  if (raw.length !== 17 + MAC_BYTES || raw.toString('base64url') !== token) return null;
  const payload = raw.subarray(0, 17);
  if (!timingSafeEqual(raw.subarray(17), macOf(secretKey, payload))) return null;
  const hex = payload.subarray(0, 16).toString('hex');
  if (!UUID_HEX.test(hex)) return null;
  const messageId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { messageId, index: payload[16]! };
}

// A URL in plain text ends at whitespace or a quote; trailing sentence punctuation is not part of it.
const TEXT_URL = /https?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)\]}]+$/;
const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;

/** A message body with its links replaced by tracked ones, and the originals in token order. */
export interface TrackedBody {
  text: string | null;
  html: string | null;
  links: string[];
}

/**
 * Replaces the http(s) links of a plain-text body (every URL) and of an HTML body (`<a href>` only)
 * with tracked redirect URLs. The same URL gets the same index in both parts. Links already on our own
 * host (the unsubscribe link) are left alone: they must work without a redirect.
 */
export function trackBody(
  body: { text: string | null; html: string | null },
  opts: { publicUrl: string; secretKey: string; messageId: string },
): TrackedBody {
  const links: string[] = [];
  const tracked = (url: string): string => {
    if (url.startsWith(`${opts.publicUrl}/`)) return url;
    let index = links.indexOf(url);
    if (index < 0) {
      if (links.length >= MAX_LINKS) return url;
      index = links.push(url) - 1;
    }
    return `${opts.publicUrl}/r/${signLinkToken(opts.secretKey, opts.messageId, index)}`;
  };
  const text =
    body.text?.replace(TEXT_URL, (match) => {
      const url = match.replace(TRAILING, '');
      return tracked(url) + match.slice(url.length);
    }) ?? null;
  // HTML attributes carry entities (&amp;): the stored link is the URL a browser would follow.
  const html =
    body.html?.replace(HREF, (_m, head: string, quote: string, href: string) => {
      const url = href.replace(/&amp;/g, '&');
      return `${head}${quote}${tracked(url)}${quote}`;
    }) ?? null;
  return { text, html, links };
}

/** The length a tracked link takes in a message (for segment counting before a message id exists). */
export function trackedLinkLength(publicUrl: string): number {
  return `${publicUrl}/r/`.length + 39;
}

// Link unfurlers and crawlers that fetch a link without anyone clicking it.
const BOT_AGENTS =
  /facebookexternalhit|facebot|slackbot|twitterbot|whatsapp|telegrambot|discordbot|googlebot|applebot|skypeuripreview|linkedinbot|embedly|pinterest|bingbot|bingpreview|iframely|redditbot|vkshare|yandex|msnbot|bot\b|crawler|spider|preview/i;

/** Why a request of a tracked link is not a person clicking it, or null when it is. */
export function botReason(req: {
  method: string;
  userAgent: string | undefined;
  sinceDeliveryMs: number | null;
}): 'head' | 'user_agent' | 'too_soon' | null {
  if (req.method === 'HEAD') return 'head';
  if (!req.userAgent || BOT_AGENTS.test(req.userAgent)) return 'user_agent';
  // Nobody reads a text and taps its link within a second of it arriving; scanners do.
  if (req.sinceDeliveryMs !== null && req.sinceDeliveryMs < 1000) return 'too_soon';
  return null;
}
