import type { Me, Scope } from '@hourglass/contract';
import { useMe } from './api/queries';

// What the UI offers follows the permissions the server sent with /v1/me (the same ones it enforces),
// so a control a role cannot use is hidden or disabled with a reason instead of failing with a 403.

const DOING: Record<Scope, string> = {
  ingest: 'send events',
  read: 'read this workspace',
  write: 'change journeys, segments or templates',
  support: 'cancel runs or retry messages',
  admin: 'change settings, members or keys',
};

/** Whether the caller carries a permission. */
export const can = (me: Me | null | undefined, scope: Scope) => !!me?.scopes.includes(scope);

/** A signed-in owner (the workspace itself: rename, delete). */
export const isOwner = (me: Me | null | undefined) => me?.kind === 'session' && me.role === 'owner';

/** Why a control is disabled, in words ("Your role (support) cannot …"), or null when allowed. */
export function deniedReason(me: Me | null | undefined, scope: Scope): string | null {
  if (can(me, scope)) return null;
  const who = me?.role ? `Your role (${me.role})` : 'This key';
  return `${who} cannot ${DOING[scope]}.`;
}

/** The signed-in caller's access: `can('write')`, `reason('write')`, `owner`. */
export function useAccess() {
  const me = useMe().data;
  return {
    me,
    can: (scope: Scope) => can(me, scope),
    reason: (scope: Scope) => deniedReason(me, scope),
    owner: isOwner(me),
  };
}
