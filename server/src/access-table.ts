import type { Scope } from '@hourglass/contract';
import { ROLES, type Role } from '@hourglass/db';
import { type Access, ROLE_SCOPES } from './plugins/auth';

// Who may call what, in one place: the auth plugin enforces each route's `config.access` with
// ROLE_SCOPES, the OpenAPI document states it per operation (an "Access: …" note and `x-access`),
// the README's roles table lists ROLE_TABLE, and the route walk test checks all three agree.

/** The OpenAPI operation field that names the route's access level (`public`, `any`, a scope, `owner`). */
export const ACCESS_EXTENSION = 'x-access';

/** Every access level a route can declare, least demanding first. */
export const ACCESS_LEVELS: readonly Access[] = [
  'public',
  'any',
  'ingest',
  'read',
  'write',
  'support',
  'admin',
  'owner',
];

/** What each permission opens. `owner` is not a scope: API keys never carry it. */
export const PERMISSIONS: Record<Scope | 'owner', string> = {
  ingest: 'send events (orders, customers)',
  read: 'read everything: journeys, segments, customers, runs, messages, analytics, channels, settings',
  write: 'create, change and publish journeys, segments and templates; test sends',
  support: "cancel and retry runs, resend messages, change a customer's consent (audited)",
  admin: 'settings, channels, secrets, API keys, members and invitations, the audit log',
  owner: 'rename or delete the workspace, grant the owner role',
};

/** Whether a signed-in member with this role passes a route's access check. */
export function roleMay(role: Role, access: Access): boolean {
  if (access === 'public' || access === 'any') return true;
  if (access === 'owner') return role === 'owner';
  return ROLE_SCOPES[role].includes(access);
}

/** Whether an API key with these scopes passes a route's access check (never an owner-only route). */
export function keyMay(scopes: readonly Scope[], access: Access): boolean {
  if (access === 'public' || access === 'any') return true;
  if (access === 'owner') return false;
  return scopes.includes(access);
}

/** One row of the roles table. */
export interface RoleRow {
  role: Role;
  /** Its scopes, plus `owner` for the owner. */
  permissions: (Scope | 'owner')[];
}

/** The roles table, most powerful role first (the README's "Roles" section shows the same). */
export const ROLE_TABLE: readonly RoleRow[] = ROLES.map((role) => ({
  role,
  permissions: [...ROLE_SCOPES[role], ...(roleMay(role, 'owner') ? (['owner'] as const) : [])],
}));

/** The access level an OpenAPI operation states, or null when it states none we know. */
export function accessOfOperation(operation: Record<string, unknown>): Access | null {
  const access = operation[ACCESS_EXTENSION];
  return ACCESS_LEVELS.find((level) => level === access) ?? null;
}
