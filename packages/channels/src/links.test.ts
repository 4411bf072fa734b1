import { describe, expect, it } from 'vitest';
import { botReason, signLinkToken, trackBody, trackedLinkLength, verifyLinkToken } from './links';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const opts = { publicUrl: 'https://hg.example', secretKey: 'k', messageId: ID };

describe('link tokens', () => {
  it('round-trip the message and link index; any other key or byte is refused', () => {
    const token = signLinkToken('k', ID, 7);
    expect(token).toHaveLength(39);
    expect(verifyLinkToken('k', token)).toEqual({ messageId: ID, index: 7 });
    expect(verifyLinkToken('other', token)).toBeNull();
    const flipped = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    expect(verifyLinkToken('k', flipped)).toBeNull();
    expect(verifyLinkToken('k', `${token}A`)).toBeNull();
    expect(verifyLinkToken('k', '')).toBeNull();
  });

  it('refuses every other spelling of a token: the spare bits of its last character must be zero', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let index = 0; index < 64; index++) {
      const token = signLinkToken('k', ID, index);
      const last = alphabet.indexOf(token.at(-1)!);
      for (const spare of [1, 2, 3]) {
        const other = `${token.slice(0, -1)}${alphabet[last ^ spare]}`;
        expect(Buffer.from(other, 'base64url')).toEqual(Buffer.from(token, 'base64url'));
        expect(verifyLinkToken('k', other), other).toBeNull();
      }
      expect(verifyLinkToken('k', token)).toEqual({ messageId: ID, index });
    }
  });
});

describe('trackBody', () => {
  it('rewrites text URLs (not their trailing punctuation) and hrefs, one index per distinct URL', () => {
    const out = trackBody(
      {
        text: 'See https://a.example/x?y=1&z=2. Again: https://a.example/x?y=1&z=2 (or https://b.example)',
        html: '<a class="b" href="https://a.example/x?y=1&amp;z=2">x</a> <a href=\'https://hg.example/unsubscribe?t=1\'>u</a>',
      },
      opts,
    );
    expect(out.links).toEqual(['https://a.example/x?y=1&z=2', 'https://b.example']);
    const first = `https://hg.example/r/${signLinkToken('k', ID, 0)}`;
    const second = `https://hg.example/r/${signLinkToken('k', ID, 1)}`;
    expect(out.text).toBe(`See ${first}. Again: ${first} (or ${second})`);
    expect(out.html).toBe(
      `<a class="b" href="${first}">x</a> <a href='https://hg.example/unsubscribe?t=1'>u</a>`,
    );
  });

  it('leaves a body without links alone, and says how long a tracked link is', () => {
    expect(trackBody({ text: 'Thanks!', html: null }, opts)).toEqual({
      text: 'Thanks!',
      html: null,
      links: [],
    });
    expect(trackedLinkLength('https://hg.example')).toBe(
      `https://hg.example/r/${signLinkToken('k', ID, 0)}`.length,
    );
  });
});

describe('botReason', () => {
  const phone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1';
  it('flags HEAD, preview and crawler agents, a missing agent and clicks within a second of delivery', () => {
    expect(botReason({ method: 'HEAD', userAgent: phone, sinceDeliveryMs: 60_000 })).toBe('head');
    for (const ua of ['facebookexternalhit/1.1', 'SkypeUriPreview Preview/0.5', 'Applebot/0.1', undefined])
      expect(botReason({ method: 'GET', userAgent: ua, sinceDeliveryMs: 60_000 })).toBe('user_agent');
    expect(botReason({ method: 'GET', userAgent: phone, sinceDeliveryMs: 400 })).toBe('too_soon');
    expect(botReason({ method: 'GET', userAgent: phone, sinceDeliveryMs: 60_000 })).toBeNull();
    expect(botReason({ method: 'GET', userAgent: phone, sinceDeliveryMs: null })).toBeNull();
  });
});
