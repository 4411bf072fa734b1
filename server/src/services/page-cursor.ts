import type { PageKey } from '@hourglass/db';
import { z } from 'zod';
import { ApiError } from '../plugins/errors';

// The `nextCursor` of a customer's orders, events and runs: which list it belongs to and where the next
// page starts (time with microseconds, id), as opaque base64url JSON. It names a position, never a row,
// so a cursor only ever reads the caller's own customer, and survives the row it came from being removed
// (retention). Anything that does not decode to a position of the same list is a 400 `invalid_cursor`.

/** The customer lists that page with a cursor. */
export type PagedList = 'orders' | 'events' | 'runs';

// As PostgreSQL prints it for the key (profile-pages.ts): UTC, six fractional digits.
const AT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{6})Z$/;
const realInstant = (s: string) => {
  const m = AT.exec(s);
  const ms = Date.parse(s);
  // Date.parse rolls 02-30 over to March: a real day prints back the same.
  return (
    !!m &&
    Number(m[1]) >= 1 &&
    Number.isFinite(ms) &&
    new Date(ms).toISOString().slice(0, 23) === s.slice(0, 23)
  );
};
const At = z.string().refine(realInstant);
const ROW_ID: Record<PagedList, z.ZodType<string>> = {
  orders: z.uuid(),
  runs: z.uuid(),
  events: z.string().min(1).max(300),
};

/** The cursor of the page after `key` in a list; null when there is no next page. */
export function encodeCursor(list: PagedList, key: PageKey | null): string | null {
  return key ? Buffer.from(JSON.stringify([list, key.at, key.id])).toString('base64url') : null;
}

/** The position a cursor names in `list`; undefined for no cursor (the first page). Throws a 400. */
export function decodeCursor(
  list: PagedList,
  cursor: string | undefined,
  field = 'querystring.before',
): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = z.tuple([z.literal(list), At, ROW_ID[list]]).safeParse(decoded);
  if (!parsed.success) {
    throw new ApiError(
      400,
      'invalid_cursor',
      `Not a cursor of this customer's ${list}: pass the nextCursor of the previous page as it came`,
      field,
    );
  }
  const [, at, id] = parsed.data;
  return { at, id };
}
