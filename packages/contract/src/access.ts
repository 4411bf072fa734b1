import { z } from 'zod';
import { Timestamp, Uuid } from './common';

/**
 * Membership roles, most powerful first: owner (everything, including the workspace itself), admin
 * (settings, channels, secrets, keys, members), editor (journeys, segments, templates), support (reads
 * everything; cancels and retries runs, resends messages, changes consent), viewer (reads).
 */
export const Role = z.enum(['owner', 'admin', 'editor', 'support', 'viewer']);
export type Role = z.infer<typeof Role>;

/**
 * Permissions, as API key scopes and as what a role carries: ingest events, read, write (journeys,
 * segments, templates), support (cancel and retry runs, resend messages, change consent), admin
 * (settings, channels, secrets, keys, members).
 */
export const Scope = z.enum(['ingest', 'read', 'write', 'support', 'admin']);
export type Scope = z.infer<typeof Scope>;

/** `POST /v1/auth/login`. */
export const LoginBody = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1000),
  workspaceId: Uuid.optional(),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** Who is calling, in which workspace, with what rights. */
export const Me = z.object({
  kind: z.enum(['session', 'api_key']),
  user: z.object({ id: Uuid, email: z.string(), name: z.string() }).nullable(),
  workspace: z.object({ id: Uuid, name: z.string(), slug: z.string() }),
  role: Role.nullable(),
  scopes: z.array(Scope),
  /** Send back as `x-csrf-token` on cookie-authenticated writes. */
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof Me>;

/** `POST /v1/api-keys`. */
export const ApiKeyCreateBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(Scope).min(1).max(5),
  /** What the key is for (shown in the list). */
  note: z.string().trim().max(500).default(''),
});
export type ApiKeyCreateBody = z.infer<typeof ApiKeyCreateBody>;

/** An API key as listed (never the secret). */
export const ApiKey = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(Scope),
  note: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** A newly created key: `key` is shown this once and never again. */
export const ApiKeyCreated = ApiKey.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

/** An audit log entry. */
export const AuditEntry = z.object({
  id: Uuid,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /** Why, when the actor had to say (support actions such as a consent change). */
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
