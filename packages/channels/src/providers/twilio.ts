import { guardedNodeAgents, OutboundError, type OutboundPolicy } from '@hourglass/outbound';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type { TwilioConfig } from '../config';
import { outboundFailure, remoteCode, statusText } from './outbound';
import { classifyStatus, type OutgoingSms, ProviderFailure, type SmsProvider } from './types';

// Twilio error codes that name a recipient problem (https://www.twilio.com/docs/api/errors), told
// in our own words: what Twilio's body says is never repeated.
const RECIPIENT_ERRORS = new Map<string, { code: string; message: string }>([
  ['21211', { code: 'invalid_recipient', message: "The 'To' number is not a valid phone number" }],
  ['21614', { code: 'invalid_recipient', message: "The 'To' number is not a mobile number" }],
  ['21612', { code: 'invalid_recipient', message: "Twilio cannot route a message to the 'To' number" }],
  ['21408', { code: 'invalid_recipient', message: "The account may not send to the 'To' number's region" }],
  ['21610', { code: 'recipient_unsubscribed', message: 'The recipient replied STOP to this sender' }],
]);

/**
 * The SDK's own HTTP client, with three changes: its connections go through the outbound client's
 * guarded agents (internal addresses refused at connect time, no redirects followed); the API host
 * is rewritten when a base URL is configured (the emulator in tests); and failures become
 * ProviderFailure with the Retry-After header, which the SDK's RestException drops, and with a
 * message of our own (a remote body is never repeated).
 */
class HourglassRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    timeoutMs: number,
    private readonly policy: OutboundPolicy,
  ) {
    super({ timeout: timeoutMs, keepAlive: true });
    const agents = guardedNodeAgents(policy, { keepAlive: true, timeout: timeoutMs });
    const axios = (this as unknown as { axios: { defaults: Record<string, unknown> } }).axios;
    axios.defaults.httpsAgent = agents.https;
    axios.defaults.httpAgent = agents.http;
    axios.defaults.maxRedirects = 0;
  }

  override async request<T>(opts: RequestClient.RequestOptions<T>): Promise<Response<T>> {
    const uri = this.baseUrl ? rewriteHost(opts.uri, this.baseUrl) : opts.uri;
    const refused = await outboundFailure(this.policy, uri, 'before');
    if (refused) throw refused;
    let res: Response<T>;
    try {
      res = await super.request<T>({ ...opts, uri });
    } catch (e) {
      const blocked = blockedBy(e);
      if (blocked)
        throw new ProviderFailure({
          status: null,
          code: blocked.code,
          message: blocked.message,
          retryable: false,
        });
      const code = (e as { code?: unknown }).code;
      throw classifyStatus(null, {
        message: `Twilio could not be reached${typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? ` (${code})` : ''}`,
      });
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const body = parseBody(res.body);
    const providerCode = remoteCode(body?.code);
    const recipient = providerCode ? RECIPIENT_ERRORS.get(providerCode) : undefined;
    throw classifyStatus(res.statusCode, {
      message: recipient?.message ?? statusText(res.statusCode),
      providerCode,
      retryAfter: header(res.headers, 'retry-after'),
      ...(recipient ? { code: recipient.code, retryable: false } : {}),
    });
  }
}

/** The outbound refusal behind an SDK error (axios keeps the socket's error as `cause` or itself). */
function blockedBy(e: unknown): OutboundError | null {
  for (let cur = e, i = 0; cur && i < 5; i++) {
    if (cur instanceof OutboundError) return cur;
    const code = (cur as { code?: unknown }).code;
    if (code === 'outbound.blocked_address') return new OutboundError(code, (cur as Error).message);
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

function rewriteHost(uri: string, baseUrl: string): string {
  const target = new URL(baseUrl);
  const u = new URL(uri);
  u.protocol = target.protocol;
  u.host = target.host;
  u.pathname = target.pathname.replace(/\/$/, '') + u.pathname;
  return u.toString();
}

function parseBody(body: unknown): { code?: number | string; message?: string } | null {
  if (body && typeof body === 'object') return body as { code?: number; message?: string };
  if (typeof body !== 'string') return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function header(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** SMS through the official Twilio SDK. Twilio has no idempotency key: the ledger and `findSent` stand in. */
export function twilioProvider(
  config: TwilioConfig,
  opts: { timeoutMs: number; outbound: OutboundPolicy },
): SmsProvider {
  const client = twilio(config.accountSid, config.authToken, {
    httpClient: new HourglassRequestClient(config.baseUrl, opts.timeoutMs, opts.outbound),
  });
  return {
    name: 'twilio',
    async sendSms(m: OutgoingSms) {
      const sender = m.from
        ? { from: m.from }
        : config.messagingServiceSid
          ? { messagingServiceSid: config.messagingServiceSid }
          : { from: config.from ?? '' };
      try {
        const msg = await client.messages.create({
          to: m.to,
          body: m.body,
          ...sender,
          ...(m.statusCallback ? { statusCallback: m.statusCallback } : {}),
        });
        return { providerMessageId: msg.sid };
      } catch (e) {
        if (e instanceof ProviderFailure) throw e;
        throw classifyStatus(null, { message: (e as Error).message });
      }
    },
    async findSent(m: OutgoingSms, since: Date) {
      // A minute of slack for clock skew between us and Twilio.
      const after = since.getTime() - 60_000;
      const recent = await client.messages.list({ to: m.to, limit: 50 });
      const hit = recent.find((r) => r.body === m.body && r.dateCreated && r.dateCreated.getTime() >= after);
      return hit?.sid ?? null;
    },
  };
}
