import {
  CancelRunResult,
  type ConsentChangeBody,
  Customer,
  CustomerEventsPage,
  CustomerOrdersPage,
  CustomerProfile,
  CustomerRunsPage,
  InboundMessageRow,
  JourneyAnalytics,
  MessageDetail,
  MessageLogRow,
  RetryMessageResult,
  RunTimelineView,
} from '@hourglass/contract';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { listOf } from './shapes';

// Queries of the customer-success views: profile, runs, timeline, actions, message log, analytics.

export const useCustomerProfile = (id: string) =>
  useQuery({
    queryKey: ['customers', id],
    queryFn: () => api('GET', `/v1/customers/${id}`, CustomerProfile),
  });

// A customer's lists come a page at a time, newest first; `before` is the previous page's nextCursor.
const pageUrl = (id: string, list: string, before: string | null) =>
  `/v1/customers/${id}/${list}${before ? `?before=${encodeURIComponent(before)}` : ''}`;

/** The customer's runs, page by page (`fetchNextPage` for older ones). */
export const useCustomerRuns = (id: string) =>
  useInfiniteQuery({
    queryKey: ['customers', id, 'runs'],
    queryFn: ({ pageParam }) => api('GET', pageUrl(id, 'runs', pageParam), CustomerRunsPage),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/**
 * Orders older than the profile's first page (`after`: its ordersNextCursor), fetched once `opened`
 * (the reader asked for them), then page by page.
 */
export const useOlderOrders = (id: string, after: string | null, opened: boolean) =>
  useInfiniteQuery({
    queryKey: ['customers', id, 'orders', after],
    queryFn: ({ pageParam }) => api('GET', pageUrl(id, 'orders', pageParam), CustomerOrdersPage),
    initialPageParam: after,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opened && after !== null,
  });

/** Events older than the profile's first page, as useOlderOrders. */
export const useOlderEvents = (id: string, after: string | null, opened: boolean) =>
  useInfiniteQuery({
    queryKey: ['customers', id, 'events', after],
    queryFn: ({ pageParam }) => api('GET', pageUrl(id, 'events', pageParam), CustomerEventsPage),
    initialPageParam: after,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opened && after !== null,
  });

export const useRunTimeline = (id: string) =>
  useQuery({
    queryKey: ['runs', id, 'timeline'],
    queryFn: () => api('GET', `/v1/runs/${id}/timeline`, RunTimelineView),
    refetchInterval: (q) => (q.state.data?.run.endedAt ? false : 5000),
  });

export function useCancelRun(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api('POST', `/v1/runs/${id}/cancel`, CancelRunResult, { reason }),
    onSuccess: () => setTimeout(() => void qc.invalidateQueries({ queryKey: ['runs', id] }), 500),
  });
}

export function useRetryMessage(runId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { messageId: string; reason: string }) =>
      api('POST', `/v1/messages/${v.messageId}/retry`, RetryMessageResult, { reason: v.reason }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['runs', runId] }),
  });
}

/** Message log filters; empty strings mean "any". */
export type MessageFilters = {
  channel: string;
  status: string;
  journeyId: string;
  customerId: string;
  from: string;
  to: string;
};

export const useMessageLog = (f: MessageFilters) =>
  useQuery({
    queryKey: ['messages', f],
    queryFn: () => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(f)) {
        if (!v) continue;
        // Date inputs give a day; the API wants instants (whole days, local time).
        if (k === 'from') q.set(k, new Date(`${v}T00:00:00`).toISOString());
        else if (k === 'to') q.set(k, new Date(`${v}T23:59:59.999`).toISOString());
        else q.set(k, v);
      }
      q.set('limit', '200');
      return api('GET', `/v1/messages?${q}`, listOf(MessageLogRow));
    },
  });

/** Texts customers (or unknown numbers) sent the workspace, newest first; `unmatched` keeps those with no customer. */
export const useInboundTexts = (unmatched: boolean, enabled: boolean) =>
  useQuery({
    queryKey: ['messages', 'inbound', unmatched],
    queryFn: () =>
      api(
        'GET',
        `/v1/messages/inbound?limit=200${unmatched ? '&unmatched=true' : ''}`,
        listOf(InboundMessageRow),
      ),
    enabled,
  });

/** One message as sent: content, recipient, status history, and the run step that sent it. */
export const useMessage = (id: string) =>
  useQuery({
    queryKey: ['messages', 'one', id],
    queryFn: () => api('GET', `/v1/messages/${id}`, MessageDetail),
  });

export const useJourneyAnalytics = (id: string, from: string, to: string, enabled: boolean) =>
  useQuery({
    queryKey: ['journeys', id, 'analytics', from, to],
    enabled,
    queryFn: () => {
      const q = new URLSearchParams({
        from: new Date(`${from}T00:00:00`).toISOString(),
        to: new Date(`${to}T23:59:59.999`).toISOString(),
      });
      return api('GET', `/v1/journeys/${id}/analytics?${q}`, JourneyAnalytics);
    },
  });

/** Sets a customer's email / SMS consent (support; the reason goes to the audit log). */
export function useChangeConsent(customerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsentChangeBody) =>
      api('PATCH', `/v1/customers/${customerId}/consent`, Customer, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['customers', customerId] }),
  });
}
