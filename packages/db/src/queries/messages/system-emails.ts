import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../client';
import { type JsonObject, type SystemEmailKind, systemEmails } from '../../schema';

/** An installation email row (password reset, invitation). */
export type SystemEmail = typeof systemEmails.$inferSelect;

/** Records an installation email after the provider answered (or refused). */
export async function recordSystemEmail(
  db: Executor,
  input: {
    workspaceId: string | null;
    kind: SystemEmailKind;
    toAddress: string;
    fromAddress: string;
    subject: string;
    bodyText: string | null;
    bodyHtml: string | null;
    provider: SystemEmail['provider'];
    providerMessageId: string | null;
    status: SystemEmail['status'];
    error?: JsonObject | null;
  },
): Promise<SystemEmail> {
  const [row] = await db
    .insert(systemEmails)
    .values({ ...input, toAddress: input.toAddress.trim().toLowerCase() })
    .returning();
  return row!;
}

/** Installation emails sent to an address, newest first (the outbox of password resets and invitations). */
export async function listSystemEmailsTo(
  db: Executor,
  toAddress: string,
  opts: { kind?: SystemEmailKind; limit?: number } = {},
): Promise<SystemEmail[]> {
  const to = eq(systemEmails.toAddress, toAddress.trim().toLowerCase());
  return db
    .select()
    .from(systemEmails)
    .where(opts.kind ? and(to, eq(systemEmails.kind, opts.kind)) : to)
    .orderBy(desc(systemEmails.createdAt), desc(systemEmails.id))
    .limit(Math.min(opts.limit ?? 50, 500));
}
