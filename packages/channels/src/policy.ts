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
