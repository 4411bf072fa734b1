import { describe, expect, it } from 'vitest';
import { consentNoteFor, suppressionFor } from './policy';

// The consent rule a message went out under, as support reads it on the message.

describe('consentNoteFor', () => {
  const base = { channel: 'email', transactional: true, consent: 'unsubscribed', suppression: null } as const;

  it('transactional mail to an unsubscribed customer: opt-out does not apply', () => {
    expect(suppressionFor({ ...base, address: 'a@example.com' })).toBeNull();
    expect(consentNoteFor(base)).toBe(
      'Sent although unsubscribed from marketing email: opt-out does not apply to transactional messages',
    );
    // An unsubscribe link leaves a suppression even when the consent field was never updated.
    expect(consentNoteFor({ ...base, consent: 'unknown', suppression: 'unsubscribed' })).toMatch(
      /^Sent although/,
    );
  });

  it('marketing: the consent it relied on', () => {
    expect(consentNoteFor({ ...base, transactional: false, consent: 'subscribed' })).toBe(
      'Consent: subscribed to marketing email when sent',
    );
    expect(consentNoteFor({ ...base, channel: 'sms', transactional: false, consent: 'subscribed' })).toBe(
      'Consent: subscribed to marketing SMS when sent',
    );
    expect(consentNoteFor({ ...base, transactional: false, consent: 'unknown' })).toMatch(
      /^Consent: not opted out of marketing email/,
    );
  });
});
