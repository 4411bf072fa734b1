import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, signUnsubscribeToken, verifyUnsubscribeToken } from './secrets';

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

  it('verifies unsubscribe tokens and rejects tampering', () => {
    const claim = { workspaceId: 'w1', channel: 'email' as const, address: 'ada@example.com' };
    const token = signUnsubscribeToken('k1', claim);
    expect(verifyUnsubscribeToken('k1', token)).toEqual(claim);
    expect(verifyUnsubscribeToken('k2', token)).toBeNull();
    const forged = `${Buffer.from(JSON.stringify(['w1', 'email', 'eve@example.com'])).toString('base64url')}.${token.split('.')[1]}`;
    expect(verifyUnsubscribeToken('k1', forged)).toBeNull();
    expect(verifyUnsubscribeToken('k1', 'garbage')).toBeNull();
  });
});
