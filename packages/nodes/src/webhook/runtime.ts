import type { ActionRuntimeFactory } from '../action-types';
import { ActionError } from '../action-types';
import { WebhookActionInput } from './definition';

/** The slice of `fetch` the webhook needs (so tests and workers can inject their own). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

/** Dependencies of `webhook.post`. */
export interface WebhookDeps {
  fetch: FetchLike;
  /** HMAC-SHA256(key, data); `webCryptoHmacSha256` is a ready implementation. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** Looks up a workspace secret by name; null when it does not exist. */
  getSecret(workspaceId: string, name: string): Promise<string | null>;
  now(): Date;
}

/** HMAC-SHA256 via WebCrypto (Node ≥ 20, browsers, workers). */
export async function webCryptoHmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const k = await subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle.sign('HMAC', k, new Uint8Array(data)));
}

const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Secret bytes per Standard Webhooks: `whsec_<base64>` is decoded, anything else used as UTF-8. */
export function secretKey(secret: string): Uint8Array {
  if (secret.startsWith('whsec_')) return fromBase64(secret.slice('whsec_'.length));
  return new TextEncoder().encode(secret);
}

/**
 * Signs `${id}.${timestamp}.${body}` the Standard Webhooks way (what Svix verifies), so receivers can use
 * `svix`/`standardwebhooks` libraries. Returns the three headers to send.
 */
export async function signWebhook(
  deps: Pick<WebhookDeps, 'hmacSha256'>,
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const mac = await deps.hmacSha256(
    secretKey(secret),
    new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`),
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(mac)}`,
  };
}

/** `webhook.post`: POSTs `{type, timestamp, data}` signed with the named secret. 408/429/5xx retry; other 4xx don't. */
export const webhookRuntime: ActionRuntimeFactory<WebhookDeps> = (deps) => async (input, ctx) => {
  const parsed = WebhookActionInput.safeParse(input);
  if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
  const { url, secretName, eventName, timeoutMs } = parsed.data;
  const secret = await deps.getSecret(ctx.workspaceId, secretName);
  if (!secret) throw new ActionError('webhook.no_secret', `Secret "${secretName}" not found`, false);
  const now = deps.now();
  const body = JSON.stringify({
    type: eventName,
    timestamp: now.toISOString(),
    data: {
      journeyId: ctx.journeyId,
      runId: ctx.runId,
      stepId: ctx.stepId,
      customer: ctx.customer,
      order: ctx.order,
      trigger: ctx.trigger,
    },
  });
  // The idempotency key doubles as the webhook id so receivers can de-duplicate our retries.
  const headers = await signWebhook(deps, secret, ctx.idempotencyKey, Math.floor(now.getTime() / 1000), body);
  let status: number;
  try {
    const res = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
  } catch (e) {
    // The fetch refused the destination itself (internal address, redirect): already final.
    if (e instanceof ActionError) throw e;
    throw new ActionError(
      'webhook.network',
      `POST ${url} failed: ${e instanceof Error ? e.message : e}`,
      true,
    );
  }
  if (status >= 200 && status < 300) return { status: 'ok', output: { httpStatus: status } };
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new ActionError('webhook.http', `POST ${url} answered ${status}`, retryable);
};
