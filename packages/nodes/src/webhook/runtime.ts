import { getField, type Json } from '@hourglass/journey';
import { ActionError } from '../action-types';
import { type ActionServices, defineAction } from '../services';
import { WebhookActionInput } from './definition';

/** Largest response body read for mapping; a longer one fails the step (`webhook.response_too_large`). */
export const MAX_WEBHOOK_RESPONSE_BYTES = 256 * 1024;

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
  deps: Pick<ActionServices['http'], 'hmacSha256'>,
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

/** Picks the mapped fields out of a JSON response body; every path must exist (else the step fails). */
function mapResponse(
  text: string,
  mapping: WebhookActionInput['responseMapping'],
  url: string,
): Record<string, Json> {
  if (mapping.length === 0) return {};
  if (text.length > MAX_WEBHOOK_RESPONSE_BYTES)
    throw new ActionError(
      'webhook.response_too_large',
      `${url} answered more than ${MAX_WEBHOOK_RESPONSE_BYTES} bytes`,
      false,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ActionError(
      'webhook.response_not_json',
      `${url} did not answer JSON, so nothing can be mapped from it`,
      false,
    );
  }
  const out: Record<string, Json> = {};
  for (const { name, path } of mapping) {
    const value = getField(body, path);
    if (value === undefined)
      throw new ActionError(
        'webhook.mapping_missing',
        `The response has no "${path}" (mapped to "${name}")`,
        false,
      );
    out[name] = value as Json;
  }
  return out;
}

/**
 * `webhook.post`: POSTs `{type, timestamp, data}` signed with the named workspace secret, through the
 * outbound client; 408/429/5xx retry, other 4xx do not. Fields mapped from a JSON response become the
 * step's output (with `httpStatus`).
 */
export const webhookAction = defineAction({
  key: 'webhook.post',
  input: WebhookActionInput,
  services: ['secrets', 'http', 'clock'],
  async run(input, ctx, { secrets, http, clock }) {
    const { url, secretName, eventName, timeoutMs } = input;
    const secret = await secrets.get(secretName);
    if (!secret) throw new ActionError('webhook.no_secret', `Secret "${secretName}" not found`, false);
    const now = clock.now();
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
        steps: ctx.steps,
      },
    });
    // The idempotency key doubles as the webhook id so receivers can de-duplicate our retries.
    const headers = await signWebhook(
      http,
      secret,
      ctx.idempotencyKey,
      Math.floor(now.getTime() / 1000),
      body,
    );
    let res: Awaited<ReturnType<ActionServices['http']['fetch']>>;
    let text = '';
    try {
      res = await http.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (input.responseMapping.length > 0 && res.status >= 200 && res.status < 300) text = await res.text();
    } catch (e) {
      // The fetch refused the destination itself (internal address, redirect): already final.
      if (e instanceof ActionError) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new ActionError('webhook.network', `POST ${url} failed: ${reason}`, true);
    }
    const { status } = res;
    if (status >= 200 && status < 300) {
      return {
        status: 'ok',
        output: { httpStatus: status, ...mapResponse(text, input.responseMapping, url) },
      };
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    throw new ActionError('webhook.http', `POST ${url} answered ${status}`, retryable);
  },
});
