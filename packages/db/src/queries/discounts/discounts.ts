import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { DISCOUNT_KINDS, discountCodes } from '../../schema';
import { MAX_ORDER_CODE_LENGTH } from './redeem-sql';

// Discount codes made by journey steps (the "Create discount code" action): one per run step visit,
// the same one again when the action is retried. Redemption happens at ingest (redeem-sql.ts).

/** A discount code row. */
export type DiscountCode = typeof discountCodes.$inferSelect;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

/** Letters and digits a shopper cannot misread (no 0/O, 1/I): 32 of them, so a byte maps without bias. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Length of a code's random part: 32^8 ≈ 10^12 codes, so collisions are rare even in a large shop. */
export const CODE_RANDOM_LENGTH = 8;
/** Longest prefix kept (characters after sanitising). */
export const CODE_PREFIX_MAX = 20;
/** Fresh random parts tried when a code is already taken in the workspace, before giving up. */
const CODE_ATTEMPTS = 5;

/**
 * Why a code could not be made. `discount.invalid`: the input is wrong (`field` names it), retrying
 * cannot help; `discount.code_collision`: every random code tried was taken (retryable).
 */
export class DiscountCodeError extends Error {
  constructor(
    message: string,
    readonly code: 'discount.invalid' | 'discount.code_collision',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DiscountCodeError';
  }
}

/** What createDiscountCode needs; `idempotencyKey` identifies the step visit that makes the code. */
export type DiscountCodeInput = {
  idempotencyKey: string;
  customerId: string;
  runId: string | null;
  journeyId: string | null;
  stepId: string | null;
  kind: DiscountKind;
  /** Percent off in (0, 100], or an amount in `currency` (required then). */
  value: number;
  currency?: string | null;
  expiresAt: Date | null;
  prefix?: string;
};

/**
 * A prefix as codes carry it: accents dropped, upper-cased, only A–Z, 0–9 and '-' kept, at most
 * CODE_PREFIX_MAX characters ("été-10 %" → "ETE-10"). Used as given, so "WELCOME-" gives "WELCOME-7KQ…".
 */
export function sanitizeCodePrefix(prefix: string | undefined): string {
  return (prefix ?? '')
    .normalize('NFKD')
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '')
    .slice(0, CODE_PREFIX_MAX);
}

/** A cryptographically random part of CODE_RANDOM_LENGTH characters from CODE_ALPHABET. */
export function randomCodePart(): string {
  let out = '';
  for (const byte of randomBytes(CODE_RANDOM_LENGTH)) out += CODE_ALPHABET[byte & 31];
  return out;
}

function checked(input: DiscountCodeInput): { currency: string | null } {
  const bad = (field: string, message: string) => new DiscountCodeError(message, 'discount.invalid', field);
  if (!input.idempotencyKey) throw bad('idempotencyKey', 'a discount code needs an idempotency key');
  if (!DISCOUNT_KINDS.includes(input.kind)) throw bad('kind', `unknown discount kind "${input.kind}"`);
  const v = input.value;
  // Stored with two decimals: anything that would round to zero is no discount.
  if (!Number.isFinite(v) || Math.round(v * 100) <= 0)
    throw bad('value', 'the discount must be at least 0.01');
  if (input.kind === 'percent') {
    if (v > 100) throw bad('value', 'a percent discount is at most 100');
    return { currency: null };
  }
  if (v > 1e11) throw bad('value', 'the discount amount is too large');
  const currency = input.currency?.trim().toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency))
    throw bad('currency', 'an amount discount needs a three-letter currency code (ISO 4217)');
  return { currency };
}

/**
 * Makes the code of one step visit, or returns the one it made before: idempotent per (workspace,
 * `idempotencyKey`), also under concurrent calls (the insert does nothing on any unique conflict, then
 * the row of the key is read; only when there is none was it the code that collided, and a new random
 * part is tried). A retry returns the first call's row, whatever it passes. Safe in a caller's
 * transaction (a conflict never raises). Throws DiscountCodeError.
 */
export async function createDiscountCode(
  db: Executor,
  workspaceId: string,
  input: DiscountCodeInput,
  options: { randomPart?: () => string } = {},
): Promise<DiscountCode> {
  const { currency } = checked(input);
  const prefix = sanitizeCodePrefix(input.prefix);
  const random = options.randomPart ?? randomCodePart;
  for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
    const [made] = await db
      .insert(discountCodes)
      .values({
        workspaceId,
        code: prefix + random(),
        kind: input.kind,
        value: input.value,
        currency,
        expiresAt: input.expiresAt,
        customerId: input.customerId,
        runId: input.runId,
        journeyId: input.journeyId,
        stepId: input.stepId,
        idempotencyKey: input.idempotencyKey,
      })
      .onConflictDoNothing()
      .returning();
    if (made) return made;
    const [before] = await db
      .select()
      .from(discountCodes)
      .where(
        and(
          eq(discountCodes.workspaceId, workspaceId),
          eq(discountCodes.idempotencyKey, input.idempotencyKey),
        ),
      );
    if (before) return before;
  }
  throw new DiscountCodeError(
    `no free discount code after ${CODE_ATTEMPTS} tries (prefix "${prefix}"): try again`,
    'discount.code_collision',
  );
}

/** The workspace's code, matched case-insensitively (shoppers type codes in any case), or null. */
export async function getDiscountCode(
  db: Executor,
  workspaceId: string,
  code: string,
): Promise<DiscountCode | null> {
  const wanted = code.trim();
  if (!wanted || wanted.length > MAX_ORDER_CODE_LENGTH) return null;
  const [row] = await db
    .select()
    .from(discountCodes)
    .where(
      and(
        eq(discountCodes.workspaceId, workspaceId),
        sql`upper(${discountCodes.code}) = ${wanted.toUpperCase()}`,
      ),
    );
  return row ?? null;
}

/** The codes a run made, oldest first. */
export async function listRunDiscountCodes(
  db: Executor,
  workspaceId: string,
  runId: string,
): Promise<DiscountCode[]> {
  return db
    .select()
    .from(discountCodes)
    .where(and(eq(discountCodes.workspaceId, workspaceId), eq(discountCodes.runId, runId)))
    .orderBy(asc(discountCodes.createdAt), asc(discountCodes.id));
}
