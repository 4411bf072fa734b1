/**
 * Recognizes "the database cannot be reached right now" failures, so the API answers 503 with
 * Retry-After (the client retries later) instead of a 500 (a bug). The pool reconnects by itself once
 * PostgreSQL is back, so nothing else is needed to recover.
 *
 * Classified as an outage:
 * - socket errors while connecting or talking: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, EHOSTUNREACH, ENOTFOUND…
 * - SQLSTATE class 08 (connection exception) and 57P01 / 57P02 / 57P03 (admin shutdown, crash shutdown,
 *   cannot connect now: the server is starting or stopping)
 * - node-postgres messages: "Connection terminated…", "timeout exceeded when trying to connect",
 *   "Client has encountered a connection error and is not queryable".
 * Drizzle wraps driver errors (`cause`) and Node wraps multi-address connect failures (AggregateError
 * `errors`): the whole chain is inspected.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DB_RETRY_AFTER_SECONDS = 2;

/** True when `err` (or anything it wraps) says the database is unreachable or restarting. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || SHUTDOWN_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGES.some((re) => re.test(message))) return true;
  if (isDatabaseUnavailable(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
