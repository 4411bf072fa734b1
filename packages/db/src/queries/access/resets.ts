import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { passwordResets } from '../../schema';

/** A password reset row (the token's sha256 only). */
export type PasswordReset = typeof passwordResets.$inferSelect;

/** What a reset link is, seen from its token: usable, or why not. */
export type ResetState = 'usable' | 'invalid' | 'expired' | 'used';

/** Stores a reset for the user; `tokenHash` is sha256 of the emailed token. */
export async function createPasswordReset(
  db: Executor,
  input: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<PasswordReset> {
  const [row] = await db.insert(passwordResets).values(input).returning();
  return row!;
}

/** Resets created for the user in the last `withinMs` (caps how many emails one account can be sent). */
export async function countRecentPasswordResets(
  db: Executor,
  userId: string,
  withinMs: number,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.userId, userId),
        gt(passwordResets.createdAt, sql`now() - make_interval(secs => ${withinMs / 1000})`),
      ),
    );
  return row?.n ?? 0;
}

/** Why the reset with this token hash cannot be used, or `usable` (as of the database's clock). */
export async function passwordResetState(db: Executor, tokenHash: string): Promise<ResetState> {
  const [row] = await db
    .select({
      usedAt: passwordResets.usedAt,
      expired: sql<boolean>`${passwordResets.expiresAt} <= now()`,
    })
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, tokenHash));
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  return row.expired ? 'expired' : 'usable';
}

/**
 * Marks the reset used, if it is still unused and unexpired, in one statement: of two requests racing
 * with the same link exactly one gets the row. Null when it was not claimable.
 */
export async function claimPasswordReset(db: Executor, tokenHash: string): Promise<PasswordReset | null> {
  const [row] = await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row ?? null;
}

/** Retires the user's other unused resets: once the password changed, older links must not work. */
export async function retirePasswordResets(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)))
    .returning({ id: passwordResets.id });
  return rows.length;
}
