import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsConfigFromEnv } from './config';
import { loadProviderSettings, updateProviderSettings } from './providers/settings';
import { LEGACY_DEV_SECRET, reencryptLegacySecrets, resolveSecretKey, secretKeyFile } from './secret-key';
import { encryptSecret, signUnsubscribeToken, verifyUnsubscribeToken } from './secrets';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-key-'));

describe('the installation secret key', () => {
  it('is generated once per data folder, kept with mode 0600 and reused, never the public constant', () => {
    const dir = tmp();
    const env = { HOURGLASS_DATA_DIR: dir };
    const key = resolveSecretKey(env);
    const file = secretKeyFile(env);
    expect(file).toBe(path.join(dir, 'secret-key'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key);
    expect(key).not.toBe(LEGACY_DEV_SECRET);
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(resolveSecretKey(env)).toBe(key);
    // Another process of the same installation (same data folder) gets the same key.
    expect(channelsConfigFromEnv(env).secretKey).toBe(key);
    // Another installation gets its own.
    expect(resolveSecretKey({ HOURGLASS_DATA_DIR: tmp() })).not.toBe(key);
  });

  it('reads a key file written by another process and tightens loose permissions', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'secret-key'), 'k'.repeat(43), { mode: 0o644 });
    expect(resolveSecretKey({ HOURGLASS_DATA_DIR: dir })).toBe('k'.repeat(43));
    expect(fs.statSync(path.join(dir, 'secret-key')).mode & 0o777).toBe(0o600);
  });

  it('uses HOURGLASS_SECRET_KEY when set, and requires it in production', () => {
    const dir = tmp();
    expect(resolveSecretKey({ HOURGLASS_SECRET_KEY: 'explicit', HOURGLASS_DATA_DIR: dir })).toBe('explicit');
    expect(fs.existsSync(path.join(dir, 'secret-key'))).toBe(false);
    expect(() => resolveSecretKey({ NODE_ENV: 'production', HOURGLASS_DATA_DIR: dir })).toThrow(
      /HOURGLASS_SECRET_KEY is required in production/,
    );
  });

  it('refuses unsubscribe tokens forged with the public constant', () => {
    const key = resolveSecretKey({ HOURGLASS_DATA_DIR: tmp() });
    const claim = {
      workspaceId: '00000000-0000-4000-8000-000000000001',
      channel: 'email' as const,
      address: 'a@b.c',
    };
    expect(verifyUnsubscribeToken(key, signUnsubscribeToken(LEGACY_DEV_SECRET, claim))).toBeNull();
    expect(verifyUnsubscribeToken(key, signUnsubscribeToken(key, claim))).toEqual(claim);
  });
});

describe('re-encrypting secrets stored under the public constant', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase('channels_secret_key');
  });
  afterAll(async () => t?.drop());

  it('moves them to the installation key once, and leaves other rows alone', async () => {
    const legacy = { ...channelsConfigFromEnv({ HOURGLASS_SECRET_KEY: LEGACY_DEV_SECRET }) };
    const a = await seedWorkspace(t.db, 'Legacy A');
    const b = await seedWorkspace(t.db, 'Other key B');
    await updateProviderSettings(t.db, legacy, a.id, {
      resend: { plain: { from: 'a@shop.test' }, secrets: { apiKey: 're_legacy_key_1234' } },
    });
    const other = { ...legacy, secretKey: 'some-other-key' };
    await updateProviderSettings(t.db, other, b.id, {
      twilio: { plain: { accountSid: 'AC1' }, secrets: { authToken: 'tok-b' } },
    });
    const before = await t.pool.query('select workspace_id, secret_ciphertext from channel_settings');
    const key = resolveSecretKey({ HOURGLASS_DATA_DIR: tmp() });
    const current = { ...legacy, secretKey: key };

    expect(await reencryptLegacySecrets(t.db, key)).toBe(1);
    expect((await loadProviderSettings(t.db, current, a.id)).resend?.secrets.apiKey).toBe(
      're_legacy_key_1234',
    );
    await expect(loadProviderSettings(t.db, legacy, a.id)).rejects.toThrow();
    // Neither key opens B's row: it is left for its owner to re-enter, not destroyed.
    const bRow = before.rows.find((r) => r.workspace_id === b.id);
    const after = await t.pool.query(
      'select secret_ciphertext from channel_settings where workspace_id = $1',
      [b.id],
    );
    expect(after.rows[0].secret_ciphertext).toBe(bRow.secret_ciphertext);
    // Idempotent: a second start moves nothing.
    expect(await reencryptLegacySecrets(t.db, key)).toBe(0);
    expect(encryptSecret(key, 'x')).not.toBe(before.rows[0].secret_ciphertext);
  });
});
