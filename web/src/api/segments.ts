import { Ok, Segment, type SegmentCreateBody, SegmentPreview } from '@hourglass/contract';
import type { Rule } from '@hourglass/journey';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './client';

/** The segment list's key: the inspector's segment picker reads the same list, so edits show there. */
export const segmentsKey = ['segments'] as const;

export const useSegment = (id: string | null) =>
  useQuery({
    queryKey: [...segmentsKey, id],
    enabled: id !== null,
    queryFn: () => api('GET', `/v1/segments/${id}`, Segment),
  });

/** Creates (no id) or updates a segment, then refreshes every segment list. */
export function useSaveSegment(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SegmentCreateBody) =>
      id ? api('PATCH', `/v1/segments/${id}`, Segment, body) : api('POST', '/v1/segments', Segment, body),
    onSuccess: (s) => {
      qc.setQueryData([...segmentsKey, s.id], s);
      void qc.invalidateQueries({ queryKey: segmentsKey, exact: true });
    },
  });
}

export function useDeleteSegment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/segments/${id}`, Ok),
    onSuccess: (_ok, id) => {
      qc.removeQueries({ queryKey: [...segmentsKey, id] });
      void qc.invalidateQueries({ queryKey: segmentsKey, exact: true });
    },
  });
}

/** A value that settles `ms` after the last change (typing in a condition should not fire a query per key). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** Live count + sample of the customers a rule matches; `null` rule = do not ask (it has problems). */
export function useRulePreview(rule: Rule | null) {
  const settled = useDebounced(rule, 350);
  const key = settled ? JSON.stringify(settled) : null;
  // While typing, the shown count belongs to the previous rule: say so.
  const settling = rule !== null && JSON.stringify(rule) !== key;
  const query = useQuery({
    queryKey: [...segmentsKey, 'preview', key],
    enabled: settled !== null,
    placeholderData: keepPreviousData,
    retry: false,
    queryFn: () => api('POST', '/v1/segments/preview', SegmentPreview, { rule: settled, sample: 10 }),
  });
  return { ...query, updating: settling || query.isFetching };
}
