import {
  Customer,
  Journey,
  JourneyDiff,
  JourneyVersion,
  JourneyVersionSummary,
  Me,
  PublishResult,
  Segment,
  StatusChangeResult,
  ValidateResult,
} from '@hourglass/contract';
import type { Graph } from '@hourglass/journey';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, api, setCsrfToken, setWorkspaceId } from './client';
import { JourneyListItem, listOf, WorkspaceChoice, WorkspaceSettings } from './shapes';

/** Query keys, one place. */
export const keys = {
  me: ['me'] as const,
  journeys: ['journeys'] as const,
  journey: (id: string) => ['journeys', id] as const,
  versions: (id: string) => ['journeys', id, 'versions'] as const,
};

// Clearing the whole cache would orphan the App's `me` observer; drop everything else instead.
const dropAllButMe = (qc: QueryClient) =>
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    retry: false,
    queryFn: async () => {
      try {
        const me = await api('GET', '/v1/me', Me);
        setCsrfToken(me.csrfToken);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        // A remembered workspace this user lost access to: fall back to the default one.
        if (e instanceof ApiError && e.body.code === 'no_workspace') {
          setWorkspaceId(null);
          return null;
        }
        throw e;
      }
    },
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; workspaceId?: string }) =>
      api('POST', '/v1/auth/login', Me, body),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      setWorkspaceId(me.workspace.id);
      dropAllButMe(qc);
      qc.setQueryData(keys.me, me);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api('POST', '/v1/auth/logout', z.unknown()),
    onSettled: () => {
      setCsrfToken(null);
      dropAllButMe(qc);
      qc.setQueryData(keys.me, null);
    },
  });
}

export const useWorkspaces = () =>
  useQuery({
    queryKey: ['workspaces'],
    retry: false,
    queryFn: () => api('GET', '/v1/workspaces', listOf(WorkspaceChoice)),
  });

export function useSwitchWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (workspaceId: string) => {
      setWorkspaceId(workspaceId);
      return api('GET', '/v1/me', Me);
    },
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      dropAllButMe(qc);
      qc.setQueryData(keys.me, me);
    },
  });
}

export const useJourneys = () =>
  useQuery({ queryKey: keys.journeys, queryFn: () => api('GET', '/v1/journeys', listOf(JourneyListItem)) });

export const useJourney = (id: string) =>
  useQuery({ queryKey: keys.journey(id), queryFn: () => api('GET', `/v1/journeys/${id}`, Journey) });

export function useCreateJourney() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      name: string;
      description?: string;
      graph?: Graph;
      templateKey?: string;
      renameIfTaken?: boolean;
    }) => api('POST', '/v1/journeys', Journey, body),
    onSuccess: (j) => {
      qc.setQueryData(keys.journey(j.id), j);
      void qc.invalidateQueries({ queryKey: keys.journeys, exact: true });
    },
  });
}

/** Autosave: PATCH the draft (no cache invalidation: the editor store is the source of truth). */
export const saveDraft = (id: string, body: { name?: string; graph?: Graph }) =>
  api('PATCH', `/v1/journeys/${id}`, Journey, body);

export const validateRemote = (id: string, graph: Graph) =>
  api('POST', `/v1/journeys/${id}/validate`, ValidateResult, { graph });

export function usePublish(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (note: string) => api('POST', `/v1/journeys/${id}/publish`, PublishResult, { note }),
    onSuccess: (r) => {
      // The list shows the new status at once when the marketer goes back (the refetch confirms it).
      qc.setQueryData<JourneyListItem[]>(keys.journeys, (list) =>
        list?.map((j) => (j.id === id ? { ...j, status: 'live', liveVersion: r.version.version } : j)),
      );
      void qc.invalidateQueries({ queryKey: keys.journeys });
    },
  });
}

export const useVersions = (id: string) =>
  useQuery({
    queryKey: keys.versions(id),
    queryFn: () => api('GET', `/v1/journeys/${id}/versions`, listOf(JourneyVersionSummary)),
  });

export const fetchVersion = (id: string, version: number) =>
  api('GET', `/v1/journeys/${id}/versions/${version}`, JourneyVersion);

export const fetchDiff = (id: string, from: number, to: number) =>
  api('GET', `/v1/journeys/${id}/diff?from=${from}&to=${to}`, JourneyDiff);

export function useRollback(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      api('POST', `/v1/journeys/${id}/rollback`, z.unknown(), { version, note: `Rollback to v${version}` }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.journeys }),
  });
}

export function useStatusChange(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: 'pause' | 'resume' | 'archive') =>
      api('POST', `/v1/journeys/${id}/${action}`, StatusChangeResult),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.journeys }),
  });
}

/** Run counts of one journey, from the journey list's `stats`. */
export const useJourneyStats = (journeyId: string) => {
  const list = useJourneys();
  return { ...list, data: list.data?.find((j) => j.id === journeyId)?.stats ?? undefined };
};

export const useSegments = () =>
  useQuery({ queryKey: ['segments'], queryFn: () => api('GET', '/v1/segments', listOf(Segment)) });

export const useCustomers = (q: string) =>
  useQuery({
    queryKey: ['customers', q],
    queryFn: () => api('GET', `/v1/customers?q=${encodeURIComponent(q)}`, listOf(Customer)),
  });

export const useWorkspaceSettings = () =>
  useQuery({
    queryKey: ['settings'],
    queryFn: () => api('GET', '/v1/workspace/settings', WorkspaceSettings),
  });
