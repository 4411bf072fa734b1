import { Role } from '@hourglass/contract';

/** What each role may do, shown next to the role pickers. */
export const ROLE_HINT: Record<Role, string> = {
  owner: 'everything, including the workspace itself',
  admin: 'settings, channels, secrets, keys, members',
  editor: 'journeys, segments, templates',
  support: 'reads everything; cancels and retries runs, resends messages, changes consent',
  viewer: 'reads everything',
};

/** The roles the caller may hand out: only an owner grants the owner role. */
export const grantable = (owner: boolean) => Role.options.filter((r) => owner || r !== 'owner');
