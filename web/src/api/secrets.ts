import { Ok, WorkspaceSecret } from '@hourglass/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { listOf } from './shapes';

const SECRETS_KEY = ['workspace-secrets'] as const;

/** The workspace's secrets: names and dates, never values. */
export const useWorkspaceSecrets = () =>
  useQuery({
    queryKey: SECRETS_KEY,
    queryFn: () => api('GET', '/v1/workspace/secrets', listOf(WorkspaceSecret)),
  });

type SecretChange =
  | { op: 'create'; name: string; value: string }
  | { op: 'rotate'; name: string; value: string }
  | { op: 'delete'; name: string };

/** Creates, rotates or deletes a secret (owners); the list refreshes after each. */
export function useChangeSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (c: SecretChange) => {
      const path = `/v1/workspace/secrets/${encodeURIComponent(c.name)}`;
      if (c.op === 'create')
        await api('POST', '/v1/workspace/secrets', WorkspaceSecret, { name: c.name, value: c.value });
      else if (c.op === 'rotate') await api('PUT', path, WorkspaceSecret, { value: c.value });
      else await api('DELETE', path, Ok);
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: SECRETS_KEY }),
  });
}
