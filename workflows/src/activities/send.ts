import { type ChannelsConfig, createSender } from '@hourglass/channels';
import type { Customer, Db } from '@hourglass/db';
import type { SendDeps } from '@hourglass/nodes';

/**
 * Thrown by a sender when a message may not go out yet (quiet hours). The action activity turns it
 * into "sleep until `until`, then run the step again": deferred, never dropped.
 */
export class SendDeferred extends Error {
  readonly until: number;
  readonly reason: string;
  constructor(until: number, reason: string) {
    super(`deferred until ${new Date(until).toISOString()} (${reason})`);
    this.name = 'SendDeferred';
    this.until = until;
    this.reason = reason;
  }
}

/**
 * Builds the send dependency for one action attempt: workflow time, the event behind Liquid `event`,
 * and the customer row the attempt has just loaded (so the sender need not read it again).
 */
export type SenderFactory = (now: () => Date, event: unknown, customer?: Customer) => SendDeps;

/**
 * The channels package's sender (Resend / Twilio with keys, its outbox provider without; consent,
 * suppression, quiet hours, frequency caps), with quiet hours raised as {@link SendDeferred}.
 */
export function channelsSender(db: Db, config: ChannelsConfig): SenderFactory {
  return (now, event, customer) =>
    createSender({
      db,
      config,
      now,
      customer,
      event: (event as Record<string, unknown> | undefined) ?? null,
      deferError: (until, reason) => new SendDeferred(until.getTime(), reason),
    });
}
