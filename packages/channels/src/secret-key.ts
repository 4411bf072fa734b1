import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Executor, listEncryptedChannelSettings, replaceChannelSecret } from '@hourglass/db';
import { decryptSecret, encryptSecret } from './secrets';

/**
 * The constant earlier versions used when HOURGLASS_SECRET_KEY was unset. It is public, so it is
 * never used to sign or encrypt anything: it is kept only to re-encrypt what it once encrypted.
 */
export const LEGACY_DEV_SECRET = 'hourglass-dev-secret-change-me';

/** Where an installation without HOURGLASS_SECRET_KEY keeps its generated key. */
export function secretKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.resolve(env.HOURGLASS_DATA_DIR || 'data'), 'secret-key');
}

const generated = new Map<string, string>();

/**
 * The installation's secret key: HOURGLASS_SECRET_KEY when set (required in production); otherwise
 * a random key generated once, kept in the data folder with mode 0600 and reused by every process
 * of the installation (API and workers read the same file; whoever comes first creates it).
 */
export function resolveSecretKey(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOURGLASS_SECRET_KEY) return env.HOURGLASS_SECRET_KEY;
  if (env.NODE_ENV === 'production')
    throw new Error('HOURGLASS_SECRET_KEY is required in production (unsubscribe tokens, stored secrets)');
  const file = secretKeyFile(env);
  const known = generated.get(file);
  if (known) return known;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // Exclusive create: two processes starting together cannot write two different keys.
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // A key others can read is no secret: tighten a file copied in with looser permissions.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  let key = fs.readFileSync(file, 'utf8').trim();
  for (let i = 0; !key && i < 50; i++) {
    // The creator is between its create and its write: wait for the key, not a blank one.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    key = fs.readFileSync(file, 'utf8').trim();
  }
  if (key.length < 32)
    throw new Error(`${file} does not hold a secret key: delete it or set HOURGLASS_SECRET_KEY`);
  generated.set(file, key);
  return key;
}

/**
 * Re-encrypts stored provider secrets that only the legacy constant opens with the current key.
 * Runs at API start; rows the current key already opens, and rows neither key opens (a changed
 * HOURGLASS_SECRET_KEY, reported where they are used) are left as they are. Returns how many moved.
 */
export async function reencryptLegacySecrets(db: Executor, secretKey: string): Promise<number> {
  if (secretKey === LEGACY_DEV_SECRET) return 0;
  let moved = 0;
  for (const row of await listEncryptedChannelSettings(db)) {
    if (opens(secretKey, row.secretCiphertext)) continue;
    if (!opens(LEGACY_DEV_SECRET, row.secretCiphertext)) continue;
    const value = decryptSecret(LEGACY_DEV_SECRET, row.secretCiphertext);
    const next = encryptSecret(secretKey, value);
    if (await replaceChannelSecret(db, row.workspaceId, row.id, row.secretCiphertext, next)) moved++;
  }
  return moved;
}

function opens(key: string, ciphertext: string): boolean {
  try {
    decryptSecret(key, ciphertext);
    return true;
  } catch {
    return false;
  }
}
