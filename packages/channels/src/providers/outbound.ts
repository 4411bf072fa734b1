import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { checkUrl, guardedLookup, OutboundError, type OutboundPolicy, portOf } from '@hourglass/outbound';
import { ProviderFailure } from './types';

const refusedBy = (e: OutboundError) =>
  new ProviderFailure({ status: null, code: e.code, message: e.message, retryable: false });

/**
 * Why a provider base URL may not be called, as a permanent failure, or null when it may. `before`
 * checks the URL alone (cheap, every send); `after` also resolves the host the way the guarded
 * connection does, to tell a refused address (never retried) from a network failure (retried).
 */
export async function outboundFailure(
  policy: OutboundPolicy,
  baseUrl: string,
  when: 'before' | 'after',
): Promise<ProviderFailure | null> {
  let url: URL;
  try {
    url = checkUrl(policy, baseUrl);
  } catch (e) {
    if (e instanceof OutboundError) return refusedBy(e);
    throw e;
  }
  if (when === 'before') return null;
  try {
    await promisify(guardedLookup(policy, portOf(url)))(url.hostname.replace(/^\[|\]$/g, ''), {});
  } catch (e) {
    if (e instanceof OutboundError) return refusedBy(e);
  }
  return null;
}

/** Our words for an HTTP status (its standard reason phrase), never the remote body's. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

/** A provider's error code, kept only when it looks like one (a remote body never becomes our text). */
export function remoteCode(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : null;
}
