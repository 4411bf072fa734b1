import type { Auth } from '../../plugins/auth';
import { ApiError } from '../../plugins/errors';

/** The signed-in person behind a request; workspaces and memberships are people's, not API keys'. */
export function sessionUser(auth: Auth): { userId: string; email: string } {
  if (auth.kind !== 'session' || !auth.user) {
    throw new ApiError(403, 'session_required', 'Only a signed-in person can do this, not an API key');
  }
  return { userId: auth.user.id, email: auth.user.email };
}
