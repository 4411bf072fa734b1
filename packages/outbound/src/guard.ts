import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { checkAddress, type OutboundError, type OutboundPolicy } from './policy';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for sockets that resolves the name itself and refuses it when any address is
 * internal. The check runs on the addresses the socket then connects to, so a name that resolved
 * to a public address when it was saved and to 127.0.0.1 now (DNS rebinding) is still refused.
 */
export function guardedLookup(policy: OutboundPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      try {
        for (const a of addresses) checkAddress(policy, hostname, a.address, port);
      } catch (e) {
        return callback(e as OutboundError, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Checks a destination given as an IP address, which sockets connect to without a lookup. */
function checkLiteral(policy: OutboundPolicy, host: string, port: number): void {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) checkAddress(policy, bare, bare, port);
}

/** An undici dispatcher whose every connection passes the policy (fetch's `dispatcher`). */
export function guardedDispatcher(policy: OutboundPolicy, opts: { connectTimeoutMs?: number } = {}): Agent {
  // The allow-list may name a port, so the lookup needs it: one connector per port (a handful).
  const connectors = new Map<number, buildConnector.connector>();
  const connectorFor = (port: number) => {
    let c = connectors.get(port);
    if (!c) {
      c = buildConnector({
        lookup: guardedLookup(policy, port),
        timeout: opts.connectTimeoutMs ?? 10_000,
      } as buildConnector.BuildOptions);
      connectors.set(port, c);
    }
    return c;
  };
  return new Agent({
    connect: (options, callback) => {
      const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
      try {
        checkLiteral(policy, options.hostname, port);
      } catch (e) {
        callback(e as Error, null);
        return;
      }
      connectorFor(port)(options, callback);
    },
  });
}

/** Node `http`/`https` agents with the same check, for clients built on them (axios in the Twilio SDK). */
export function guardedNodeAgents(policy: OutboundPolicy, agentOptions: https.AgentOptions = {}) {
  const wrap = <A extends http.Agent>(agent: A): A => {
    const create = (
      agent as unknown as { createConnection: (o: net.NetConnectOpts, cb?: unknown) => net.Socket }
    ).createConnection;
    (agent as unknown as { createConnection: unknown }).createConnection = function (
      this: A,
      options: net.TcpNetConnectOpts & { host: string },
      cb?: unknown,
    ) {
      const port = Number(options.port);
      try {
        checkLiteral(policy, options.host, port);
      } catch (e) {
        // http.Agent expects a socket: hand it one that fails, as a refused connection would.
        const refused = new net.Socket();
        process.nextTick(() => refused.destroy(e as Error));
        return refused;
      }
      return create.call(this, { ...options, lookup: guardedLookup(policy, port) }, cb);
    };
    return agent;
  };
  return {
    http: wrap(new http.Agent(agentOptions)),
    https: wrap(new https.Agent(agentOptions)),
  };
}
