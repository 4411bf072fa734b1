import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { oneOf, timestamps, tstz } from './common';
import { defaultWorkspaceSettings, type JsonObject, type WorkspaceSettings } from './types';

/**
 * Membership roles, most powerful first: owner (everything, the workspace itself), admin (settings,
 * channels, secrets, keys, members), editor (journeys, segments, templates), support (reads
 * everything; cancels and retries runs, resends messages, changes consent), viewer (reads).
 */
export const ROLES = ['owner', 'admin', 'editor', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** API key scopes. */
export const API_SCOPES = ['ingest', 'read', 'write', 'support', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A brand using Hourglass; the tenant boundary of all data. */
export const workspaces = pgTable('workspaces', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique('workspaces_slug_key'),
  settings: jsonb().$type<WorkspaceSettings>().notNull().default(defaultWorkspaceSettings()),
  ...timestamps(),
});

/** workspace_id column: every row of workspace data belongs to exactly one workspace. */
export const workspaceRef = () =>
  uuid()
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/** A person who signs in to the app (not a customer of a brand). */
export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    passwordHash: text().notNull(),
    name: text().notNull().default(''),
    ...timestamps(),
  },
  // Emails are stored lower-cased; the check makes a missed normalisation fail loudly.
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_email_lower_check', sql`email = lower(email)`),
  ],
);

/** A user's role in a workspace. */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: ROLES }).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('memberships_workspace_user_key').on(t.workspaceId, t.userId),
    index('memberships_user_idx').on(t.userId),
    oneOf('memberships', 'role', ROLES),
  ],
);

/** Browser session; the id is sha256(token) so a database leak does not leak live sessions. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text().notNull(),
    createdAt: tstz().notNull().defaultNow(),
    expiresAt: tstz().notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Server-to-server credential; only the hash is stored, the prefix identifies it in the UI. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull().unique('api_keys_key_hash_key'),
    scopes: text({ enum: API_SCOPES }).array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: tstz().notNull().defaultNow(),
    lastUsedAt: tstz(),
    revokedAt: tstz(),
    /** What the key is for, in the creator's words. */
    note: text().notNull().default(''),
  },
  (t) => [
    index('api_keys_workspace_idx').on(t.workspaceId, t.createdAt),
    check(
      'api_keys_scopes_check',
      sql.raw(`scopes <@ array[${API_SCOPES.map((s) => `'${s}'`).join(', ')}]::text[]`),
    ),
  ],
);

/** Who did what, for support and compliance; append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    actor: text().notNull(),
    action: text().notNull(),
    target: text(),
    reason: text(),
    details: jsonb().$type<JsonObject>().notNull().default({}),
    at: tstz().notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace_at_idx').on(t.workspaceId, t.at)],
);

/**
 * Sign-in attempts not proven right, by the email typed and the client address: the login lockout counts
 * them. Global like users (an unknown email must lock the same way, or the lockout reveals which accounts
 * exist). A row is written before the password is checked, so parallel guesses count, and removed when that
 * sign-in succeeds.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    address: text().notNull(),
    at: tstz().notNull().defaultNow(),
  },
  (t) => [
    index('login_failures_address_at_idx').on(t.address, t.at),
    index('login_failures_email_address_idx').on(t.email, t.address),
    index('login_failures_at_idx').on(t.at),
  ],
);

/**
 * A named secret of a workspace (webhook signing keys and the like). The value is only ever stored
 * encrypted with the installation's key and is never read back through the API, only by the worker.
 */
export const workspaceSecrets = pgTable(
  'workspace_secrets',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text().notNull(),
    ciphertext: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
    rotatedAt: tstz(),
  },
  (t) => [uniqueIndex('workspace_secrets_workspace_name_key').on(t.workspaceId, t.name)],
);

/**
 * An invitation to join a workspace with a role. The link carries a random token; only its sha256 is
 * stored. Single use (accepted_at), expiring, revocable.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    email: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    tokenHash: text().notNull().unique('invitations_token_hash_key'),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: tstz().notNull().defaultNow(),
    expiresAt: tstz().notNull(),
    acceptedAt: tstz(),
    acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: tstz(),
  },
  (t) => [
    index('invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    check('invitations_email_lower_check', sql`email = lower(email)`),
    oneOf('invitations', 'role', ROLES),
  ],
);

/** A forgotten-password reset: emailed link, sha256 of its token stored, single use, expiring. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique('password_resets_token_hash_key'),
    createdAt: tstz().notNull().defaultNow(),
    expiresAt: tstz().notNull(),
    usedAt: tstz(),
  },
  (t) => [index('password_resets_user_idx').on(t.userId, t.createdAt)],
);
