import {
  CustomerProfile,
  type PreviewBody,
  PreviewResult,
  type TestSendBody,
  TestSendResult,
} from '@hourglass/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { useDebounced } from './segments';

/** One customer's profile (orders feed the preview's order picker); same cache entry as the profile page. */
export const useCustomerOrders = (id: string | null) =>
  useQuery({
    queryKey: ['customers', id],
    enabled: !!id,
    queryFn: () => api('GET', `/v1/customers/${id}`, CustomerProfile),
  });

/** The message rendered by the server for a real customer (the same code path as a real send). */
export function useServerPreview(body: PreviewBody | null) {
  const settled = useDebounced(body, 250);
  return useQuery({
    queryKey: ['preview', settled ? JSON.stringify(settled) : null],
    enabled: settled !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
    queryFn: () => api('POST', '/v1/preview', PreviewResult, settled),
  });
}

/** Sends the previewed message to one address; it lands in the message log (outbox without providers). */
export function useTestSend() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TestSendBody) => api('POST', '/v1/test-send', TestSendResult, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['messages'] }),
  });
}
