import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Channel } from '@hourglass/db';
import { z } from 'zod';

// One master secret, separate derived keys per purpose, so a leaked token key never decrypts
// stored provider credentials and vice versa.
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'hourglass', purpose, 32));
}

/** Encrypts a JSON value with AES-256-GCM; output `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(secretKey: string, value: unknown): string {
  return encryptWith(deriveKey(secretKey, 'channel-settings'), value);
}

/** Decrypts what `encryptSecret` produced; throws if the key is wrong or the data was altered. */
export function decryptSecret<T = unknown>(secretKey: string, payload: string): T {
  return decryptWith(deriveKey(secretKey, 'channel-settings'), payload) as T;
}

/**
 * Encrypts a workspace secret (webhook signing keys…) like `encryptSecret`, under its own derived key
 * ('workspace-secrets'), so provider settings and workspace secrets never decrypt one another.
 */
export function encryptWorkspaceSecret(secretKey: string, value: string): string {
  return encryptWith(deriveKey(secretKey, 'workspace-secrets'), value);
}

/** Decrypts what `encryptWorkspaceSecret` produced; throws if the key is wrong or the data was altered. */
export function decryptWorkspaceSecret(secretKey: string, payload: string): string {
  const value = decryptWith(deriveKey(secretKey, 'workspace-secrets'), payload);
  if (typeof value !== 'string') throw new Error('Unrecognised secret format');
  return value;
}

/**
 * Encrypts a store connection's credentials (a JSON object) under their own derived key
 * ('store-connections'), so no other secret of the workspace decrypts them and vice versa.
 */
export function encryptStoreCredentials(secretKey: string, value: Record<string, string>): string {
  return encryptWith(deriveKey(secretKey, 'store-connections'), value);
}

/** Decrypts what `encryptStoreCredentials` produced; throws if the key is wrong or the data was altered. */
export function decryptStoreCredentials(secretKey: string, payload: string): Record<string, string> {
  const value = decryptWith(deriveKey(secretKey, 'store-connections'), payload);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error('Unrecognised secret format');
  return value as Record<string, string>;
}

function encryptWith(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

function decryptWith(key: Buffer, payload: string): unknown {
  const [version, iv, tag, data] = payload.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('Unrecognised secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

/** What an unsubscribe token proves: this address asked to stop marketing on this channel. */
export interface UnsubscribeClaim {
  workspaceId: string;
  channel: Channel;
  address: string;
}

/** A signed, URL-safe unsubscribe token (HMAC-SHA256); it does not expire, as the law expects links to keep working. */
export function signUnsubscribeToken(secretKey: string, claim: UnsubscribeClaim): string {
  const body = Buffer.from(JSON.stringify([claim.workspaceId, claim.channel, claim.address])).toString(
    'base64url',
  );
  const mac = createHmac('sha256', deriveKey(secretKey, 'unsubscribe')).update(body).digest('base64url');
  return `${body}.${mac}`;
}

/** The claim of a valid token, or null when it is malformed or the signature does not match. */
export function verifyUnsubscribeToken(secretKey: string, token: string): UnsubscribeClaim | null {
  const [body, mac] = token.split('.');
  if (!body || !mac) return null;
  const expected = createHmac('sha256', deriveKey(secretKey, 'unsubscribe')).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claim = SignedClaim.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!claim.success) return null;
    const [workspaceId, channel, address] = claim.data;
    return { workspaceId, channel, address };
  } catch {
    return null;
  }
}

// What a token may name: a signature vouches for the bytes, not for a claim the database can take
// (a workspace that is not an id, an empty address or one with NUL reads as an invalid link).
const SignedClaim = z.tuple([
  z.guid(),
  z.enum(['email', 'sms']),
  z
    .string()
    .min(1)
    .max(320)
    .refine((a) => !a.includes('\u0000')),
]);

/** The public one-click unsubscribe URL for an address (deterministic, so retries send identical headers). */
export function unsubscribeUrl(
  config: { publicUrl: string; secretKey: string },
  workspaceId: string,
  channel: Channel,
  address: string,
): string {
  const token = signUnsubscribeToken(config.secretKey, { workspaceId, channel, address });
  return `${config.publicUrl}/unsubscribe?token=${token}`;
}
