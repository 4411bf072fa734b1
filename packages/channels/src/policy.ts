import type { Channel, ConsentState, SuppressionReason } from '@hourglass/db';

/** Why a message was not sent to the customer at all. */
export type SuppressReason =
  | 'no_address'
  | 'unsubscribed'
  | 'no_consent'
  | 'suppressed_unsubscribed'
  | 'suppressed_hard_bounce'
  | 'suppressed_complaint'
  | 'suppressed_stop';

/**
 * Consent and suppression rules. Transactional messages (order confirmation, shipping) ignore a
 * marketing opt-out but never go to an address that bounced, complained or texted STOP: those
 * are about deliverability and the law, not preference.
 */
export function suppressionFor(input: {
  channel: Channel;
  transactional: boolean;
  address: string | null;
  consent: ConsentState;
  suppression: SuppressionReason | null;
}): SuppressReason | null {
  if (!input.address) return 'no_address';
  if (input.suppression && (!input.transactional || input.suppression !== 'unsubscribed'))
    return `suppressed_${input.suppression}`;
  if (input.transactional) return null;
  if (input.consent === 'unsubscribed') return 'unsubscribed';
  // Marketing SMS needs an explicit opt-in (TCPA); marketing email only the absence of an opt-out.
  if (input.channel === 'sms' && input.consent !== 'subscribed') return 'no_consent';
  return null;
}

const channelWord = (c: Channel) => (c === 'email' ? 'email' : 'SMS');

/**
 * Which consent rule let a message go out, in words, kept on the message so support can answer "why
 * did an unsubscribed customer get this?". Only for messages that passed `suppressionFor`.
 */
export function consentNoteFor(input: {
  channel: Channel;
  transactional: boolean;
  consent: ConsentState;
  suppression: SuppressionReason | null;
}): string {
  const ch = channelWord(input.channel);
  if (input.transactional) {
    return input.consent === 'unsubscribed' || input.suppression === 'unsubscribed'
      ? `Sent although unsubscribed from marketing ${ch}: opt-out does not apply to transactional messages`
      : `Transactional: sent whatever the marketing consent (${ch} consent ${input.consent})`;
  }
  if (input.consent === 'subscribed') return `Consent: subscribed to marketing ${ch} when sent`;
  return `Consent: not opted out of marketing ${ch} (no opt-in recorded; marketing ${ch} needs only the absence of an opt-out)`;
}

/** Skip reasons that mean "suppressed" to the caller rather than "skipped". */
export const SUPPRESS_REASONS: ReadonlySet<string> = new Set<SuppressReason>([
  'no_address',
  'unsubscribed',
  'no_consent',
  'suppressed_unsubscribed',
  'suppressed_hard_bounce',
  'suppressed_complaint',
  'suppressed_stop',
]);
