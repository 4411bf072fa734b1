import {
  Ok,
  type ShopifyConnectBody,
  ShopifyConnectionView,
  ShopifyRegisterResult,
  ShopifySyncStatus,
  ShopifySyncView,
  ShopifyTestResult,
} from '@hourglass/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

const STORE_KEY = ['shopify'] as const;
const SYNC_KEY = ['shopify-sync'] as const;

/** The workspace's Shopify connection (secrets only as set / not set). */
export const useShopifyConnection = () =>
  useQuery({
    queryKey: STORE_KEY,
    queryFn: () => api('GET', '/v1/workspace/shopify', ShopifyConnectionView),
  });

/** The latest import; polled every second while one runs, so its progress bar moves. */
export const useShopifySync = () =>
  useQuery({
    queryKey: SYNC_KEY,
    queryFn: () => api('GET', '/v1/workspace/shopify/backfill', ShopifySyncStatus),
    refetchInterval: (q) => (q.state.data?.sync?.status === 'running' ? 1000 : false),
  });

/** Connect, test, register webhooks, disconnect, import: each refreshes the connection view. */
export function useShopifyActions() {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: STORE_KEY });
  return {
    connect: useMutation({
      mutationFn: (body: ShopifyConnectBody) =>
        api('PUT', '/v1/workspace/shopify', ShopifyConnectionView, body),
      onSuccess: (view) => qc.setQueryData(STORE_KEY, view),
    }),
    test: useMutation({
      mutationFn: () => api('POST', '/v1/workspace/shopify/test', ShopifyTestResult),
      onSettled: refresh,
    }),
    register: useMutation({
      mutationFn: () => api('POST', '/v1/workspace/shopify/webhooks', ShopifyRegisterResult),
      onSettled: refresh,
    }),
    disconnect: useMutation({
      mutationFn: () => api('DELETE', '/v1/workspace/shopify', Ok),
      onSettled: refresh,
    }),
    backfill: useMutation({
      mutationFn: (days: number) => api('POST', '/v1/workspace/shopify/backfill', ShopifySyncView, { days }),
      onSuccess: (sync) => qc.setQueryData(SYNC_KEY, { sync }),
    }),
  };
}
