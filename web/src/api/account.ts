import {
  ApiKey,
  type ApiKeyCreateBody,
  ApiKeyCreated,
  AuditEntry,
  ForgotPasswordAccepted,
  type PasswordChangeBody,
  ResetLookup,
  type ResetPasswordBody,
  SessionsEnded,
} from '@hourglass/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from './client';
import { keys } from './queries';
import { listOf } from './shapes';

// The signed-in user's account (password, sessions), password resets, the audit log and API keys.

/** Signs every session of this user out, this one included. */
function useSignedOut() {
  const qc = useQueryClient();
  return () => {
    setCsrfToken(null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
    qc.setQueryData(keys.me, null);
  };
}

/** Changes the password (the user's other sessions end; this one stays). */
export const useChangePassword = () =>
  useMutation({
    mutationFn: (body: PasswordChangeBody) => api('POST', '/v1/account/password', SessionsEnded, body),
  });

export function useSignOutEverywhere() {
  const signedOut = useSignedOut();
  return useMutation({
    mutationFn: () => api('POST', '/v1/auth/logout-everywhere', SessionsEnded),
    onSuccess: signedOut,
  });
}

/** Asks for a reset link; the answer is the same whether or not the account exists. */
export const useForgotPassword = () =>
  useMutation({
    mutationFn: (email: string) => api('POST', '/v1/auth/forgot', ForgotPasswordAccepted, { email }),
  });

/** Sets a new password with an emailed link; every session of that user ends. */
/** Whether a reset link still works, asked when its page opens (public: the token is the credential). */
export const useResetLookup = (token: string) =>
  useQuery({
    queryKey: ['reset', token],
    retry: false,
    queryFn: () => api('GET', `/v1/auth/reset/lookup?token=${encodeURIComponent(token)}`, ResetLookup),
  });

export const useResetPassword = () =>
  useMutation({
    mutationFn: (body: ResetPasswordBody) => api('POST', '/v1/auth/reset', SessionsEnded, body),
  });

export interface AuditFilter {
  actor: string;
  action: string;
}

/** The audit log, newest first, filtered by actor and action. */
export const useAudit = (f: AuditFilter) =>
  useQuery({
    queryKey: ['audit', f.actor, f.action],
    queryFn: () => {
      const q = new URLSearchParams({ limit: '200' });
      if (f.actor) q.set('actor', f.actor);
      if (f.action) q.set('action', f.action);
      return api('GET', `/v1/audit?${q}`, listOf(AuditEntry));
    },
  });

const API_KEYS = ['api-keys'] as const;

export const useApiKeys = () =>
  useQuery({ queryKey: API_KEYS, queryFn: () => api('GET', '/v1/api-keys', listOf(ApiKey)) });

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiKeyCreateBody) => api('POST', '/v1/api-keys', ApiKeyCreated, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: API_KEYS }),
  });
}

/** Revokes a key at once; it stays in the list, shown as revoked. */
export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/api-keys/${id}`, ApiKey),
    onSuccess: () => void qc.invalidateQueries({ queryKey: API_KEYS }),
  });
}
