import { hash } from '@node-rs/argon2';

/** Argon2id hash of a password, as stored in users.password_hash. */
export const hashPassword = (password: string): Promise<string> => hash(password);
