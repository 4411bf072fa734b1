import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted answer to a provider send: status and JSON body, as Twilio or Resend would send it. */
export interface ScriptedReply {
  status: number;
  body: unknown;
}

/** A proxy in front of the provider emulator that answers the next sends from a script. */
export interface ScriptedProvider {
  url: string;
  /** The next `n` send requests (POST /emails, POST …/Messages.json) get `reply`; the rest pass through. */
  failNext(n: number, reply: ScriptedReply): void;
  /** Send requests answered from the script so far. */
  scripted: number;
  close(): Promise<void>;
}

const isSend = (method: string | undefined, path: string) =>
  method === 'POST' && (path === '/emails' || /\/Messages\.json$/.test(path));

/**
 * Exact failure sequences ("503 twice, then the real answer") for tests: the emulator's own faults
 * are random by design, this is deterministic. Everything else reaches the emulator unchanged.
 */
export async function scriptedProvider(target: string): Promise<ScriptedProvider> {
  const script: ScriptedReply[] = [];
  const self: ScriptedProvider = {
    url: '',
    scripted: 0,
    failNext(n, reply) {
      for (let i = 0; i < n; i++) script.push(reply);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const next = isSend(req.method, url.pathname) ? script.shift() : undefined;
    if (next) {
      self.scripted++;
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next.body));
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (e): e is [string, string] =>
          typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length',
      ),
    );
    const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (k === 'content-type' || k === 'retry-after') out[k] = v;
    });
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
