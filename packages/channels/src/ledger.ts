import {
  appendMessageStatus,
  type Db,
  lastInboundTextAt,
  lastMarketingAttemptAt,
  lockCustomerChannel,
  type Message,
  type ReserveInput,
  reserveMessage,
} from '@hourglass/db';
import { frequencyCapUntil } from './timing';

/**
 * Reserves the ledger row for a send. With a cap, the check and the reservation run under a
 * per-customer-and-channel lock, so two journeys racing to the same customer cannot both pass;
 * a capped message is recorded as skipped with reason "capped" before the lock is released. A text
 * answering one the customer sent since our last marketing text is not capped.
 * `cap.now` is the sender's decision time; the last message's time it is compared with was stamped
 * by the database (the two agree outside time-skipping tests).
 */
export async function reserveWithCap(
  db: Db,
  workspaceId: string,
  input: ReserveInput,
  cap: { hours: number; now: Date } | null,
): Promise<{ message: Message; reserved: boolean; cappedUntil: Date | null }> {
  // Caps are per customer: a test send (no customer) is never capped.
  const customerId = input.customerId;
  if (!cap || cap.hours <= 0 || !customerId)
    return { ...(await reserveMessage(db, workspaceId, input)), cappedUntil: null };
  return db.transaction(async (tx) => {
    await lockCustomerChannel(tx, workspaceId, customerId, input.channel);
    const last = await lastMarketingAttemptAt(
      tx,
      workspaceId,
      customerId,
      input.channel,
      input.idempotencyKey,
    );
    // A customer who texted us since our last marketing text is in a conversation: one answer to that
    // text (the survey's review link after their "5") is not another unsolicited message.
    const repliedAt =
      input.channel === 'sms' && last ? await lastInboundTextAt(tx, workspaceId, customerId) : null;
    const answering = repliedAt !== null && last !== null && repliedAt.getTime() > last.getTime();
    const { message, reserved } = await reserveMessage(tx, workspaceId, input);
    const cappedUntil = reserved && !answering ? frequencyCapUntil(last, cap.now, cap.hours) : null;
    if (!cappedUntil) return { message, reserved, cappedUntil };
    const skipped = await appendMessageStatus(tx, workspaceId, message.id, 'skipped', {
      skipReason: 'capped',
      detail: `frequency cap: next marketing ${input.channel} after ${cappedUntil.toISOString()}`,
    });
    return { message: skipped ?? message, reserved, cappedUntil };
  });
}
