import { z } from 'zod';
import { Uuid } from './common';

/** A password someone chooses: at least 10 characters (length beats composition rules). */
export const NewPassword = z
  .string()
  .min(10, 'at least 10 characters')
  .max(1000)
  .describe('At least 10 characters');
export type NewPassword = z.infer<typeof NewPassword>;

/** `POST /v1/account/password`. */
export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: NewPassword,
});
export type PasswordChangeBody = z.infer<typeof PasswordChangeBody>;

/** `POST /v1/auth/forgot`. */
export const ForgotPasswordBody = z.object({ email: z.string().trim().min(3).max(320) });
export type ForgotPasswordBody = z.infer<typeof ForgotPasswordBody>;

/** `POST /v1/auth/reset`: the token of the emailed link and the new password. */
export const ResetPasswordBody = z.object({
  token: z.string().min(1).max(200),
  password: NewPassword,
});
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

/** `GET /v1/auth/reset/lookup?token=`: whether a reset link can still be used (before typing a password). */
export const ResetLookupQuery = z.object({ token: z.string().min(1).max(200) });
export type ResetLookupQuery = z.infer<typeof ResetLookupQuery>;
export const ResetLookup = z.object({ ok: z.literal(true) });
export type ResetLookup = z.infer<typeof ResetLookup>;

/** The answer of "forgot password": the same whether or not the account exists. */
export const ForgotPasswordAccepted = z.object({ ok: z.literal(true) });
export type ForgotPasswordAccepted = z.infer<typeof ForgotPasswordAccepted>;

/** Sessions ended by a password change, a reset or "sign out everywhere". */
export const SessionsEnded = z.object({ ok: z.literal(true), sessionsEnded: z.number().int() });
export type SessionsEnded = z.infer<typeof SessionsEnded>;

/**
 * `GET /v1/audit`: newest first; `before` is the id of the last entry of the previous page. `actor`
 * matches part of the actor, any case (`alice@` finds `user:alice@shop.com`); `action` matches the action
 * or, without a dot, every action of that family (`api_key` finds `api_key.create` and `api_key.revoke`).
 */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: Uuid.optional(),
  actor: z.string().trim().min(1).max(320).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z0-9_.]{1,100}$/, 'lower-case letters, digits, _ and .')
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** A consent a support agent can set on a channel. */
export const ConsentChoice = z.enum(['subscribed', 'unsubscribed']);
export type ConsentChoice = z.infer<typeof ConsentChoice>;

/** `PATCH /v1/customers/:id/consent`: at least one channel, and why (kept in the audit log). */
export const ConsentChangeBody = z
  .object({
    email: ConsentChoice.optional(),
    sms: ConsentChoice.optional(),
    reason: z.string().trim().min(1).max(500).describe('Why, in the agent’s words (audit log)'),
  })
  .refine((b) => b.email !== undefined || b.sms !== undefined, {
    message: 'set email or sms',
    path: ['email'],
  });
export type ConsentChangeBody = z.infer<typeof ConsentChangeBody>;
