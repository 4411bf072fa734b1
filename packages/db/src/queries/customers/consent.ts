import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { type Channel, type ConsentState, customers, suppressions } from '../../schema';
import { addSuppression } from '../messages/messages';
import { type Customer, getCustomer } from './customers';

const addressOf = (c: Customer, channel: Channel) =>
  (channel === 'email' ? c.email?.trim().toLowerCase() : c.phone?.trim()) || null;

/**
 * Sets a customer's marketing consent per channel, as a support agent recorded it, so every later send
 * honours it. Unsubscribing also suppresses the address, as the unsubscribe link does (an event that
 * later says "subscribed" does not override the customer's request); subscribing lifts only an
 * `unsubscribed` suppression, never a bounce, complaint or STOP. Null when the customer is not in the
 * workspace. Run it in the transaction that writes the audit entry.
 */
export async function setCustomerConsent(
  db: Executor,
  workspaceId: string,
  customerId: string,
  change: Partial<Record<Channel, Exclude<ConsentState, 'unknown'>>>,
  source: string,
): Promise<{ before: Customer; after: Customer } | null> {
  const [locked] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)))
    .for('update');
  if (!locked) return null;
  const before = await getCustomer(db, workspaceId, customerId);
  if (!before) return null;
  const patch = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  await db
    .update(customers)
    .set({ consent: sql`${customers.consent} || ${JSON.stringify(patch)}::jsonb` })
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  for (const [channel, state] of Object.entries(patch) as [Channel, ConsentState][]) {
    const address = addressOf(before, channel);
    if (!address) continue;
    if (state === 'unsubscribed') {
      await addSuppression(db, workspaceId, { channel, address, reason: 'unsubscribed', source });
    } else {
      await db
        .delete(suppressions)
        .where(
          and(
            eq(suppressions.workspaceId, workspaceId),
            eq(suppressions.channel, channel),
            eq(suppressions.address, address),
            eq(suppressions.reason, 'unsubscribed'),
          ),
        );
    }
  }
  const after = await getCustomer(db, workspaceId, customerId);
  return after ? { before, after } : null;
}
