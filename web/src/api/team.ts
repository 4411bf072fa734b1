import {
  Invitation,
  type InvitationAcceptBody,
  type InvitationCreateBody,
  InvitationCreated,
  InvitationLookup,
  Me,
  Member,
  Ok,
  type Role,
  Workspace,
  type WorkspaceCreateBody,
  WorkspaceDeleted,
} from '@hourglass/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, setWorkspaceId } from './client';
import { keys } from './queries';
import { listOf } from './shapes';

// Workspaces, members and invitations: creating and switching workspaces, roles, invitations by email.

const MEMBERS = ['members'] as const;
const INVITATIONS = ['invitations'] as const;
const WORKSPACES = ['workspaces'] as const;

/** Makes the signed-in session act on `workspaceId` and loads who the caller is there. */
async function enterWorkspace(qc: ReturnType<typeof useQueryClient>, workspaceId: string) {
  setWorkspaceId(workspaceId);
  const me = await api('GET', '/v1/me', Me);
  setCsrfToken(me.csrfToken);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
  qc.setQueryData(keys.me, me);
  return me;
}

/** Creates a workspace (the caller becomes its owner) and switches to it. */
export function useCreateWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: WorkspaceCreateBody) => {
      const ws = await api('POST', '/v1/workspaces', Workspace, body);
      return enterWorkspace(qc, ws.id);
    },
  });
}

/** Renames the current workspace (owners). */
export function useRenameWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api('PATCH', '/v1/workspace', Workspace, { name }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.me });
      void qc.invalidateQueries({ queryKey: WORKSPACES });
    },
  });
}

/** After losing the current workspace: the server's default (the user's first) is used from now on. */
async function leftWorkspace(qc: ReturnType<typeof useQueryClient>) {
  setWorkspaceId(null);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
  // With no workspace left the server answers 403 no_workspace and useMe shows sign-in.
  await qc.refetchQueries({ queryKey: keys.me });
}

/** Deletes the current workspace (owners; `confirm` is its exact name), then moves to another one. */
export function useDeleteWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (confirm: string) => {
      await api('DELETE', '/v1/workspace', WorkspaceDeleted, { confirm });
      await leftWorkspace(qc);
    },
  });
}

/** Leaves the current workspace (refused for its last owner). */
export function useLeaveWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api('POST', '/v1/members/leave', Ok);
      await leftWorkspace(qc);
    },
  });
}

export const useMembers = () =>
  useQuery({ queryKey: MEMBERS, queryFn: () => api('GET', '/v1/members', listOf(Member)) });

/** Changes a member's role (admins; the owner role only by owners; never the last owner's). */
export function useChangeRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { userId: string; role: Role }) =>
      api('PATCH', `/v1/members/${v.userId}`, Member, { role: v.role }),
    onSettled: () => void qc.invalidateQueries({ queryKey: MEMBERS }),
  });
}

/** Removes a member: their sessions lose this workspace at once. */
export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api('DELETE', `/v1/members/${userId}`, Ok),
    onSuccess: () => void qc.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export const useInvitations = () =>
  useQuery({
    queryKey: INVITATIONS,
    queryFn: () => api('GET', '/v1/invitations', listOf(Invitation)),
  });

/** Invites by email with a role; the answer's `link` is shown once (it was also emailed). */
export function useInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InvitationCreateBody) => api('POST', '/v1/invitations', InvitationCreated, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: INVITATIONS }),
  });
}

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/invitations/${id}`, Invitation),
    onSuccess: () => void qc.invalidateQueries({ queryKey: INVITATIONS }),
  });
}

/** What an invitation link is for (public: the token is the credential). */
export const useInvitationLookup = (token: string) =>
  useQuery({
    queryKey: ['invitation', token],
    retry: false,
    queryFn: () => api('GET', `/v1/invitations/lookup?token=${encodeURIComponent(token)}`, InvitationLookup),
  });

/** Accepts an invitation: creates the account or checks its password, then signs in to that workspace. */
export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InvitationAcceptBody) => api('POST', '/v1/invitations/accept', Me, body),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      setWorkspaceId(me.workspace.id);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
      qc.setQueryData(keys.me, me);
    },
  });
}

export type { Invitation, InvitationLookup, Member };
