import ipaddr from 'ipaddr.js';

/**
 * One entry of the outbound allow-list: a host (an IP address or a host name) and optionally a port.
 * A listed destination may be reached over plain http and at an internal address (local emulators,
 * a provider relay inside the network); everything else must be https to a public address.
 */
export interface AllowEntry {
  host: string;
  port: number | null;
}

/** What server-initiated requests may reach. */
export interface OutboundPolicy {
  allow: readonly AllowEntry[];
}

/** Why a destination is refused; `code` is stable, the message never carries a remote answer. */
export class OutboundError extends Error {
  constructor(
    readonly code:
      | 'outbound.invalid_url'
      | 'outbound.insecure_scheme'
      | 'outbound.blocked_address'
      | 'outbound.redirect'
      | 'outbound.failed',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** The policy with an empty allow-list: https to public addresses only. */
export const STRICT_POLICY: OutboundPolicy = { allow: [] };

const normalHost = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '');

/** Parses `HOURGLASS_OUTBOUND_ALLOW`: comma-separated `host[:port]` (IPv6 in brackets: `[::1]:4510`). */
export function parseAllowList(text: string | undefined): AllowEntry[] {
  const out: AllowEntry[] = [];
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(item);
    const port = m?.[2] ? Number(m[2]) : null;
    if (!m || (port !== null && (port < 1 || port > 65535)))
      throw new Error(`HOURGLASS_OUTBOUND_ALLOW: "${item}" is not host or host:port`);
    out.push({ host: normalHost(m[1]!), port });
  }
  return out;
}

/** The policy from the environment (`HOURGLASS_OUTBOUND_ALLOW`). */
export function outboundPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  return { allow: parseAllowList(env.HOURGLASS_OUTBOUND_ALLOW) };
}

/** Whether the allow-list names this host (by name or address) and port. */
export function isAllowListed(policy: OutboundPolicy, host: string, port: number): boolean {
  const h = normalHost(host);
  return policy.allow.some((e) => e.host === h && (e.port === null || e.port === port));
}

/**
 * Whether an address is public unicast. Loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT (another cloud's metadata), unique-local, multicast,
 * unspecified and reserved ranges are not; an IPv4 address inside IPv6 is judged as IPv4.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** The port a URL connects to. */
export const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * Checks what can be known from the URL alone: a parseable http(s) URL without credentials, https
 * unless allow-listed, and no internal IP literal. Host names are checked again when the
 * connection is made, on the address they resolve to.
 */
export function checkUrl(policy: OutboundPolicy, input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundError('outbound.invalid_url', 'Not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundError('outbound.invalid_url', 'Only http and https URLs can be called');
  if (url.username || url.password)
    throw new OutboundError('outbound.invalid_url', 'Credentials in the URL are not allowed');
  const host = normalHost(url.hostname);
  const listed = isAllowListed(policy, host, portOf(url));
  if (url.protocol === 'http:' && !listed)
    throw new OutboundError('outbound.insecure_scheme', 'Use an https URL');
  if (!listed && ipaddr.isValid(host) && !isPublicAddress(host))
    throw new OutboundError('outbound.blocked_address', 'Internal network addresses cannot be called');
  return url;
}

/** Throws unless a resolved address may be connected to for this host and port. */
export function checkAddress(policy: OutboundPolicy, host: string, address: string, port: number): void {
  if (isPublicAddress(address)) return;
  if (isAllowListed(policy, host, port) || isAllowListed(policy, address, port)) return;
  throw new OutboundError('outbound.blocked_address', 'Internal network addresses cannot be called');
}
