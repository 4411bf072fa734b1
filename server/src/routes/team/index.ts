import { channelsConfigFromEnv } from '@hourglass/channels';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../deps';
import { acceptRoutes } from './accept';
import { invitationRoutes } from './invitations';
import { memberRoutes } from './members';
import { workspaceAdminRoutes } from './workspaces';

/** Teams: creating, renaming and deleting workspaces; members and roles; invitations by email. */
export async function teamRoutes(app: FastifyInstance, deps: ApiDeps) {
  const channels = deps.channels ?? channelsConfigFromEnv();
  await workspaceAdminRoutes(app, deps);
  await memberRoutes(app, deps);
  await invitationRoutes(app, { ...deps, channels });
  await acceptRoutes(app, deps);
}
