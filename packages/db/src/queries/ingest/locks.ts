import { type SQLChunk, sql } from 'drizzle-orm';
import { type Executor, executePrepared } from '../../client';
import type { CustomerInput } from './inputs';

// Transaction advisory locks that serialise writers of one event id, customer identity or order:
// taken by ingest, upsertCustomerFromEvent, upsertOrder and insertEventOnce, always before any
// row lock and, within one statement, in sorted order, so they cannot deadlock among themselves.

/** A lock key within a workspace. */
export const ingestLockKey = (workspaceId: string, key: string) => `${workspaceId}/${key}`;
export const eventLockKey = (workspaceId: string, eventId: string) =>
  ingestLockKey(workspaceId, `event/${eventId}`);
export const orderLockKey = (workspaceId: string, externalId: string) =>
  ingestLockKey(workspaceId, `o:${externalId}`);

/** Trimmed value, or null when blank. */
export const clean = (v: string | null | undefined) => {
  const t = v?.trim();
  return t ? t : null;
};

/** A customer's identity as matched by ingest. */
export type CustomerIdentity = { externalId: string | null; email: string | null; phone: string | null };

/** The cleaned identity of a customer input; throws when it has none. */
export function customerIdentity(input: CustomerInput): CustomerIdentity {
  const id = { externalId: clean(input.externalId), email: clean(input.email), phone: clean(input.phone) };
  if (!id.externalId && !id.email && !id.phone)
    throw new Error('customer identity needs an external id, email or phone');
  return id;
}

/** Lock keys of a customer identity (unsorted). */
export function identityLockKeys(workspaceId: string, id: CustomerIdentity): string[] {
  const keys: string[] = [];
  if (id.externalId) keys.push(ingestLockKey(workspaceId, `x:${id.externalId}`));
  if (id.email) keys.push(ingestLockKey(workspaceId, `e:${id.email.toLowerCase()}`));
  if (id.phone) keys.push(ingestLockKey(workspaceId, `p:${id.phone}`));
  return keys;
}

/**
 * The query that takes a transaction advisory lock on each of `keys` (a text[] value, sorted), in
 * order. Every lock taker builds it here, so a key always maps to the same lock.
 */
export const lockKeysSql = (keys: SQLChunk) =>
  sql`select count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int as n from unnest(${keys}::text[]) as k`;

/** Takes transaction advisory locks on `keys` in sorted order (one round trip). */
export async function lockKeys(db: Executor, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await executePrepared(db, lockKeysSql(sql.param(sorted)));
}
