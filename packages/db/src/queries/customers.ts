import { and, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { Consent, customers, type JsonObject } from '../schema';

/** A customer row. */
export type Customer = typeof customers.$inferSelect;

/** Identity and profile data carried by an event; absent fields leave stored values alone. */
export type CustomerInput = {
  externalId?: string | null;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  locale?: string | null;
  birthday?: string | null;
  consent?: Partial<Consent>;
  attributes?: JsonObject;
  tags?: string[];
};

// An explicit `undefined` must not overwrite a stored channel state (or its default).
const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const clean = (v: string | null | undefined) => {
  const t = v?.trim();
  return t ? t : undefined;
};

/**
 * Finds the customer an event refers to (external id, else email, else phone) and merges the
 * event's data into it, or creates the customer. Scalars are overwritten only by present values,
 * attributes are shallow-merged, tags unioned, consent merged per channel.
 */
export async function upsertCustomerFromEvent(
  db: Executor,
  workspaceId: string,
  input: CustomerInput,
): Promise<{ customer: Customer; created: boolean }> {
  const externalId = clean(input.externalId);
  const email = clean(input.email);
  const phone = clean(input.phone);
  if (!externalId && !email && !phone)
    throw new Error('customer identity needs an external id, email or phone');

  return db.transaction(async (tx) => {
    // Serialise concurrent events about the same new customer, which would otherwise both miss
    // the lookup and insert twice. Keys are locked in a fixed order to avoid deadlocks.
    const keys = [externalId && `x:${externalId}`, email && `e:${email.toLowerCase()}`, phone && `p:${phone}`]
      .filter((k): k is string => !!k)
      .sort();
    for (const key of keys) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}/${key}`}, 0))`);
    }

    const existing = await findByIdentity(tx, workspaceId, { externalId, email, phone });
    const profile = {
      email,
      phone,
      firstName: clean(input.firstName),
      lastName: clean(input.lastName),
      timezone: clean(input.timezone),
      locale: clean(input.locale),
      birthday: clean(input.birthday),
    };

    if (!existing) {
      const [row] = await tx
        .insert(customers)
        .values({
          workspaceId,
          externalId,
          ...profile,
          consent: Consent.parse(definedOnly(input.consent ?? {})),
          attributes: input.attributes ?? {},
          tags: [...new Set(input.tags ?? [])],
        })
        .returning();
      return { customer: row!, created: true };
    }

    // Undefined keys are skipped by drizzle, so absent fields keep their stored value.
    const [row] = await tx
      .update(customers)
      .set({
        ...profile,
        externalId: existing.externalId ?? externalId,
        consent: input.consent
          ? sql`${customers.consent} || ${JSON.stringify(definedOnly(input.consent))}::jsonb`
          : undefined,
        attributes: input.attributes
          ? sql`${customers.attributes} || ${JSON.stringify(input.attributes)}::jsonb`
          : undefined,
        tags: input.tags?.length
          ? sql`array(select distinct t from unnest(${customers.tags} || ${sql.param(input.tags)}::text[]) as t order by t)`
          : undefined,
      })
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, existing.id)))
      .returning();
    return { customer: row!, created: false };
  });
}

async function findByIdentity(
  db: Executor,
  workspaceId: string,
  id: { externalId?: string | undefined; email?: string | undefined; phone?: string | undefined },
): Promise<Customer | undefined> {
  const lookup = async (cond: ReturnType<typeof and>) => {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), cond))
      .orderBy(customers.createdAt)
      .limit(1)
      .for('update');
    return row;
  };
  if (id.externalId) {
    const row = await lookup(eq(customers.externalId, id.externalId));
    if (row) return row;
  }
  // A known external id that did not match must not be merged into another identified customer.
  const unclaimed = id.externalId ? isNull(customers.externalId) : undefined;
  if (id.email) {
    const row = await lookup(and(sql`lower(${customers.email}) = ${id.email.toLowerCase()}`, unclaimed));
    if (row) return row;
  }
  if (id.phone) return lookup(and(eq(customers.phone, id.phone), unclaimed));
  return undefined;
}

/** The customer with this id in the workspace, or null. */
export async function getCustomer(
  db: Executor,
  workspaceId: string,
  customerId: string,
): Promise<Customer | null> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  return row ?? null;
}

/** The customer with this external id in the workspace, or null. */
export async function getCustomerByExternalId(
  db: Executor,
  workspaceId: string,
  externalId: string,
): Promise<Customer | null> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.externalId, externalId)));
  return row ?? null;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Customers matching `query` by email/name prefix, exact phone or exact external id; newest first. */
export async function searchCustomers(
  db: Executor,
  workspaceId: string,
  opts: { query?: string; limit?: number; offset?: number } = {},
): Promise<Customer[]> {
  const q = opts.query?.trim();
  const prefix = q ? `${likeEscape(q)}%` : undefined;
  const match =
    q && prefix
      ? or(
          eq(customers.externalId, q),
          eq(customers.phone, q),
          sql`lower(${customers.email}) like ${prefix.toLowerCase()}`,
          ilike(customers.firstName, prefix),
          ilike(customers.lastName, prefix),
          sql`(${customers.firstName} || ' ' || ${customers.lastName}) ilike ${prefix}`,
        )
      : undefined;
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), match))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(Math.min(opts.limit ?? 50, 500))
    .offset(opts.offset ?? 0);
}
