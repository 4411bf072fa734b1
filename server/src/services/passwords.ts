import { hash, verify } from '@node-rs/argon2';

/** Argon2id hash of a password, as stored in users.password_hash. */
export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against a real hash when there is no account keeps response times alike.
const dummyHash = hash('not-a-real-password-hourglass');

/** Whether the password matches the stored hash; without a hash (unknown account) always false, as slowly. */
export async function verifyPassword(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  const ok = await verify(passwordHash ?? (await dummyHash), password).catch(() => false);
  return ok && !!passwordHash;
}
