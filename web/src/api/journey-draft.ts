import { AudienceEstimate, Journey } from '@hourglass/contract';
import type { Graph } from '@hourglass/journey';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';

/** Throws the draft's changes away: the draft becomes the live version's graph again. */
export function useDiscardDraft(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api('POST', `/v1/journeys/${id}/discard-draft`, Journey),
    onSuccess: (journey) => qc.setQueryData(keys.journey(id), journey),
  });
}

/**
 * Who the draft's trigger, filter and entry segment match today. `graph` is the canvas as it is when the
 * publish dialog opens (null while closed): what is about to be published, saved or not.
 */
export function useAudienceEstimate(id: string, graph: Graph | null, asked: number) {
  return useQuery({
    queryKey: [...keys.journey(id), 'audience', asked],
    queryFn: () => api('POST', `/v1/journeys/${id}/audience-estimate`, AudienceEstimate, { graph }),
    enabled: graph !== null,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}
