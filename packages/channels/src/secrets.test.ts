import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  decryptWorkspaceSecret,
  encryptSecret,
  encryptWorkspaceSecret,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
} from './secrets';

describe('secrets', () => {
  it('round-trips AES-256-GCM and refuses the wrong key or altered data', () => {
    const box = encryptSecret('k1', { apiKey: 're_123' });
    expect(box).not.toContain('re_123');
    expect(decryptSecret('k1', box)).toEqual({ apiKey: 're_123' });
    expect(() => decryptSecret('k2', box)).toThrow();
    // Flip one byte of the ciphertext itself (editing the last base64 character may only touch padding bits).
    const [version, iv, tag, data] = box.split('.') as [string, string, string, string];
    const bytes = Buffer.from(data, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    expect(() => decryptSecret('k1', [version, iv, tag, bytes.toString('base64url')].join('.'))).toThrow();
  });

  it('keeps workspace secrets under their own derived key', () => {
    const box = encryptWorkspaceSecret('k1', 'whsec_c2VjcmV0');
    expect(box).not.toContain('c2VjcmV0');
    expect(decryptWorkspaceSecret('k1', box)).toBe('whsec_c2VjcmV0');
    expect(() => decryptWorkspaceSecret('k2', box)).toThrow();
    // Neither kind of ciphertext opens with the other purpose's key.
    expect(() => decryptSecret('k1', box)).toThrow();
    expect(() => decryptWorkspaceSecret('k1', encryptSecret('k1', 'x'))).toThrow();
  });

  it('verifies unsubscribe tokens and rejects tampering', () => {
    const ws = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const claim = { workspaceId: ws, channel: 'email' as const, address: 'ada@example.com' };
    const token = signUnsubscribeToken('k1', claim);
    expect(verifyUnsubscribeToken('k1', token)).toEqual(claim);
    expect(verifyUnsubscribeToken('k2', token)).toBeNull();
    const forged = `${Buffer.from(JSON.stringify([ws, 'email', 'eve@example.com'])).toString('base64url')}.${token.split('.')[1]}`;
    expect(verifyUnsubscribeToken('k1', forged)).toBeNull();
    expect(verifyUnsubscribeToken('k1', 'garbage')).toBeNull();
    // Correctly signed, but naming what no workspace or address can be.
    for (const bad of [
      { ...claim, workspaceId: 'w1' },
      { ...claim, address: '' },
      { ...claim, address: 'a\u0000b' },
    ])
      expect(verifyUnsubscribeToken('k1', signUnsubscribeToken('k1', bad))).toBeNull();
  });
});
