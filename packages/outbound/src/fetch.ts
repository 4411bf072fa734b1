import { type Agent, fetch as undiciFetch } from 'undici';
import { guardedDispatcher } from './guard';
import { checkUrl, OutboundError, type OutboundPolicy } from './policy';

/** What a caller sends: a subset of fetch's init that every caller needs. */
export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A remote answer: status and headers, and the body for the caller only (never for API clients). */
export interface OutboundResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

// One dispatcher (connection pool) per policy object.
const dispatchers = new WeakMap<OutboundPolicy, Agent>();

/** The guarded dispatcher of a policy, shared by every request made under it. */
export function dispatcherFor(policy: OutboundPolicy): Agent {
  let d = dispatchers.get(policy);
  if (!d) {
    d = guardedDispatcher(policy);
    dispatchers.set(policy, d);
  }
  return d;
}

/**
 * The product's one outbound HTTP client. Checks the URL, connects only to addresses the policy
 * allows (checked on the resolved address, at connect time), and never follows a redirect: a 3xx
 * is an `outbound.redirect` error, because the new location would need the same checks and the
 * callers (providers, webhooks) have no reason to be redirected. Network failures become
 * `outbound.failed` or `outbound.blocked_address` with a fixed message.
 */
export async function outboundFetch(
  policy: OutboundPolicy,
  url: string | URL,
  init: OutboundInit = {},
): Promise<OutboundResponse> {
  const target = checkUrl(policy, url);
  let res: Awaited<ReturnType<typeof undiciFetch>>;
  try {
    res = await undiciFetch(target, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      redirect: 'manual',
      dispatcher: dispatcherFor(policy),
    });
  } catch (e) {
    throw asOutboundError(e);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => {});
    throw new OutboundError(
      'outbound.redirect',
      `The remote answered a redirect (HTTP ${res.status}), which is not followed`,
    );
  }
  return { status: res.status, headers: res.headers as unknown as Headers, text: () => res.text() };
}

/** The refusal or network failure behind a failed request, with a message that names no remote data. */
export function asOutboundError(e: unknown): OutboundError {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof OutboundError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return new OutboundError('outbound.failed', 'The request timed out');
  const code = (e as { cause?: { code?: unknown } })?.cause?.code;
  return new OutboundError(
    'outbound.failed',
    `The request failed${typeof code === 'string' ? ` (${code})` : ''}`,
  );
}
