import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { loginFailures } from '../../schema';

/** How many failed sign-ins lock what, and for how long (a sliding window). */
export interface LoginLimits {
  /** Failures of one email from one address within the window before that pair is locked. */
  perAccount: number;
  /** Failures from one address, across emails, within the window before the whole address is locked. */
  perAddress: number;
  windowMs: number;
}

/**
 * Either the password may be checked (the attempt's row now counts as a failure until `clearLoginFailures`),
 * with the failures counted before it, or sign-in is locked for `retryAfterMs`.
 */
export type LoginAttempt =
  | { allowed: true; accountFailures: number; addressFailures: number }
  | { allowed: false; scope: 'account' | 'address'; retryAfterMs: number };

const normalized = (email: string) => email.trim().toLowerCase();

/**
 * Counts the recent failures of this email and of this address and, unless either is at its limit, records
 * the attempt. Attempts refused while locked are not recorded, so a lock ends `windowMs` after the failure
 * that started it.
 */
export async function beginLoginAttempt(
  db: Executor,
  input: { email: string; address: string },
  limits: LoginLimits,
): Promise<LoginAttempt> {
  const email = normalized(input.email);
  const { address } = input;
  return db.transaction(async (tx) => {
    // Counting and recording are serialised per address, so parallel guesses cannot all see a count
    // under the limit; the password check itself runs outside the lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${address}`}, 0))`);
    const since = sql`now() - make_interval(secs => ${limits.windowMs / 1000})`;
    await tx.delete(loginFailures).where(lt(loginFailures.at, since));
    // Newest first, at most perAddress rows: enough to decide both locks (if the address is under its
    // limit, every failure in the window is here).
    const recent = await tx
      .select({
        email: loginFailures.email,
        ageMs: sql<number>`(extract(epoch from now() - ${loginFailures.at}) * 1000)::float8`,
      })
      .from(loginFailures)
      .where(and(eq(loginFailures.address, address), gt(loginFailures.at, since)))
      .orderBy(desc(loginFailures.at))
      .limit(limits.perAddress);
    const account = recent.filter((r) => r.email === email);
    // A lock lasts until the oldest failure that keeps the count at the limit leaves the window.
    const unlockIn = (rows: typeof recent, limit: number) =>
      rows.length >= limit ? Math.max(1000, limits.windowMs - (rows[limit - 1]?.ageMs ?? 0)) : 0;
    const accountWait = unlockIn(account, limits.perAccount);
    const addressWait = unlockIn(recent, limits.perAddress);
    if (accountWait > 0 || addressWait > 0) {
      return {
        allowed: false as const,
        scope: addressWait >= accountWait ? ('address' as const) : ('account' as const),
        retryAfterMs: Math.max(accountWait, addressWait),
      };
    }
    await tx.insert(loginFailures).values({ email, address });
    return { allowed: true as const, accountFailures: account.length, addressFailures: recent.length };
  });
}

/** A sign-in succeeded: this email's failures from this address no longer count. */
export async function clearLoginFailures(
  db: Executor,
  input: { email: string; address: string },
): Promise<void> {
  await db
    .delete(loginFailures)
    .where(and(eq(loginFailures.email, normalized(input.email)), eq(loginFailures.address, input.address)));
}
