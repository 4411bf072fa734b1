import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OutboundPolicy, parseAllowList, STRICT_POLICY } from '@hourglass/outbound';
import { Webhook } from 'svix';
import twilio from 'twilio';

/** Faults the emulator injects on send endpoints. */
export type Fault = 'rate_limit' | 'server_error' | 'hang' | 'drop_after_send';

/** Emulator options; faults fire at `faultRate` (0..1) on POST sends, chosen from `faults`. */
export interface EmulatorOptions {
  faultRate?: number;
  faults?: Fault[];
  /** Seconds sent in Retry-After on 429 (decimals allowed so tests stay fast). */
  retryAfterSeconds?: number;
  /** Deterministic randomness for reproducible storms. */
  seed?: number;
}

/** Every request the emulator saw. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  fault: Fault | null;
}

/** A message the emulator accepted (what a real provider would deliver). */
export interface Delivery {
  provider: 'resend' | 'twilio';
  id: string;
  to: string;
  subject?: string;
  body: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  createdAt: Date;
}

/** A running emulator of Resend's and Twilio's send APIs. */
export interface Emulator {
  url: string;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  /** Addresses / numbers the providers reject as invalid recipients. */
  invalidRecipients: Set<string>;
  setFaults(rate: number, faults?: Fault[]): void;
  /** Posts a Svix-signed Resend event to `url`; returns the HTTP status. */
  sendResendWebhook(
    url: string,
    secret: string,
    event: object,
    opts?: { id?: string; tamper?: boolean },
  ): Promise<number>;
  /** Posts an X-Twilio-Signature-signed form to `url`; returns the HTTP status. */
  sendTwilioWebhook(
    url: string,
    authToken: string,
    params: Record<string, string>,
    opts?: { tamper?: boolean },
  ): Promise<number>;
  close(): Promise<void>;
}

const ALL_FAULTS: Fault[] = ['rate_limit', 'server_error', 'hang', 'drop_after_send'];

// mulberry32: tiny seeded PRNG, so a failing storm can be replayed.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the emulator on a random local port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let faultRate = options.faultRate ?? 0;
  let faults = options.faults ?? ALL_FAULTS;
  const random = prng(options.seed ?? 42);
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const invalidRecipients = new Set<string>();
  const byIdempotencyKey = new Map<string, string>();
  const hanging = new Set<http.ServerResponse>();

  const pickFault = (): Fault | null =>
    faultRate > 0 && random() < faultRate ? (faults[Math.floor(random() * faults.length)] ?? null) : null;

  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const isSend =
      req.method === 'POST' && (url.pathname === '/emails' || /\/Messages\.json$/.test(url.pathname));
    const fault = isSend ? pickFault() : null;
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      headers: req.headers,
      body,
      fault,
    });

    if (fault === 'hang') {
      hanging.add(res); // never answered; the client's timeout fires
      return;
    }
    if (fault === 'rate_limit') {
      const retryAfter = String(options.retryAfterSeconds ?? 0);
      return json(res, 429, rateLimitBody(url.pathname), { 'retry-after': retryAfter });
    }
    if (fault === 'server_error') return json(res, 500, serverErrorBody(url.pathname));

    const after = (status: number, payload: unknown) => {
      // The provider did the work but the answer is lost on the way back.
      if (fault === 'drop_after_send') req.socket.destroy();
      else json(res, status, payload);
    };

    if (req.method === 'POST' && url.pathname === '/emails') return resendSend(req, body, after);
    const twilioPath = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (twilioPath && req.method === 'POST') return twilioSend(twilioPath[1]!, body, after);
    if (twilioPath && req.method === 'GET') return json(res, 200, twilioList(twilioPath[1]!, url));
    json(res, 404, { message: `emulator: no route ${req.method} ${url.pathname}` });
  });

  function resendSend(req: http.IncomingMessage, body: string, reply: (s: number, p: unknown) => void) {
    if (!req.headers.authorization?.startsWith('Bearer '))
      return reply(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
    const payload = JSON.parse(body) as {
      to: string | string[];
      subject: string;
      html?: string;
      text?: string;
      headers?: Record<string, string>;
    };
    const key = req.headers['idempotency-key'] as string | undefined;
    const seen = key ? byIdempotencyKey.get(`resend:${key}`) : undefined;
    if (seen) return reply(200, { id: seen });
    const to = Array.isArray(payload.to) ? payload.to : [payload.to];
    const bad = to.find((t) => invalidRecipients.has(t) || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t));
    if (bad)
      return reply(422, {
        statusCode: 422,
        name: 'validation_error',
        message: `Invalid \`to\` field: ${bad}`,
      });
    const id = randomUUID();
    if (key) byIdempotencyKey.set(`resend:${key}`, id);
    deliveries.push({
      provider: 'resend',
      id,
      to: to.join(','),
      subject: payload.subject,
      body: payload.text ?? payload.html ?? '',
      headers: payload.headers ?? {},
      ...(key ? { idempotencyKey: key } : {}),
      createdAt: new Date(),
    });
    reply(200, { id });
  }

  function twilioSend(accountSid: string, body: string, reply: (s: number, p: unknown) => void) {
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    if (invalidRecipients.has(to) || !/^\+[1-9]\d{6,14}$/.test(to))
      return reply(400, {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      });
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const createdAt = new Date();
    deliveries.push({ provider: 'twilio', id: sid, to, body: form.get('Body') ?? '', createdAt });
    reply(201, twilioMessage(accountSid, sid, to, form.get('From') ?? '', form.get('Body') ?? '', createdAt));
  }

  function twilioList(accountSid: string, url: URL) {
    const to = url.searchParams.get('To');
    const messages = deliveries
      .filter((d) => d.provider === 'twilio' && (!to || d.to === to))
      .map((d) => twilioMessage(accountSid, d.id, d.to, '', d.body, d.createdAt));
    return {
      messages,
      page: 0,
      page_size: 50,
      first_page_uri: url.pathname,
      next_page_uri: null,
      previous_page_uri: null,
      uri: url.pathname,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    deliveries,
    invalidRecipients,
    setFaults(rate, list) {
      faultRate = rate;
      if (list) faults = list;
    },
    async sendResendWebhook(url, secret, event, opts = {}) {
      const id = opts.id ?? `msg_${randomBytes(12).toString('hex')}`;
      const payload = JSON.stringify(event);
      const signature = new Webhook(secret).sign(id, new Date(), payload);
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'svix-id': id,
          'svix-timestamp': String(Math.floor(Date.now() / 1000)),
          'svix-signature': opts.tamper ? signature.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) : signature,
        },
        body: payload,
      });
      return res.status;
    },
    async sendTwilioWebhook(url, authToken, params, opts = {}) {
      const signature = twilio.getExpectedTwilioSignature(
        opts.tamper ? `${authToken}x` : authToken,
        url,
        params,
      );
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      return res.status;
    },
    async close() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function twilioMessage(
  accountSid: string,
  sid: string,
  to: string,
  from: string,
  body: string,
  createdAt: Date,
) {
  return {
    sid,
    account_sid: accountSid,
    to,
    from,
    body,
    status: 'queued',
    num_segments: '1',
    direction: 'outbound-api',
    date_created: createdAt.toUTCString(),
    date_updated: createdAt.toUTCString(),
    date_sent: null,
    error_code: null,
    error_message: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}

const isResend = (path: string) => path === '/emails';
const rateLimitBody = (path: string) =>
  isResend(path)
    ? { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' }
    : { code: 20429, message: 'Too Many Requests', status: 429 };
const serverErrorBody = (path: string) =>
  isResend(path)
    ? { statusCode: 500, name: 'internal_server_error', message: 'Internal server error' }
    : { code: 20500, message: 'Internal Server Error', status: 500 };

/** The outbound policy that lets provider calls reach this emulator (and nothing else internal). */
export function emulatorPolicy(url: string | undefined): OutboundPolicy {
  return url ? { allow: parseAllowList(new URL(url).host) } : STRICT_POLICY;
}
