import { z } from 'zod';
import { Timestamp } from './common';

/** Longest secret value accepted, in characters (signing keys are far shorter). */
export const SECRET_VALUE_MAX = 4096;

/** A secret's name: a lower-case slug nodes refer to, such as `crm-webhook`. */
export const SecretName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'Use 1–63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
  )
  .describe('Lower-case slug, 1–63 characters: letters, digits, `-`, `_`; starts with a letter or digit');
export type SecretName = z.infer<typeof SecretName>;

/** A secret's value: never returned by the API once stored. */
export const SecretValue = z
  .string()
  .min(1)
  .max(SECRET_VALUE_MAX)
  .describe(
    'The secret itself, 1–4096 characters (for webhook signing, `whsec_<base64>` as Standard Webhooks uses, or any string); write-only',
  );
export type SecretValue = z.infer<typeof SecretValue>;

/** POST /v1/workspace/secrets. */
export const SecretCreateBody = z.object({ name: SecretName, value: SecretValue });
export type SecretCreateBody = z.infer<typeof SecretCreateBody>;

/** PUT /v1/workspace/secrets/:name (rotate). */
export const SecretRotateBody = z.object({ value: SecretValue });
export type SecretRotateBody = z.infer<typeof SecretRotateBody>;

/** The name in the path of a secret's routes. */
export const SecretParams = z.object({ name: SecretName });
export type SecretParams = z.infer<typeof SecretParams>;

/** A workspace secret as listed: its name and dates, never its value. */
export const WorkspaceSecret = z.object({
  name: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
});
export type WorkspaceSecret = z.infer<typeof WorkspaceSecret>;
