import {
  type ChannelSettingsPut,
  ChannelSettingsView,
  type WorkspaceSettingsPatch,
  WorkspaceSettingsView,
} from '@hourglass/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

const CHANNELS_KEY = ['channel-settings'] as const;
// Shared with useWorkspaceSettings in queries.ts, so both views refresh together.
const SETTINGS_KEY = ['settings'] as const;

/** The workspace's provider settings (secrets only as set / last four). */
export const useChannelSettings = () =>
  useQuery({
    queryKey: CHANNELS_KEY,
    queryFn: () => api('GET', '/v1/workspace/channels', ChannelSettingsView),
  });

/** Saves provider settings (owners); an omitted secret is kept, null clears it. */
export function useSaveChannelSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelSettingsPut) => api('PUT', '/v1/workspace/channels', ChannelSettingsView, body),
    onSuccess: (view) => {
      qc.setQueryData(CHANNELS_KEY, view);
      void qc.invalidateQueries({ queryKey: SETTINGS_KEY });
    },
  });
}

/** Saves quiet hours, frequency caps or brand (owners). */
export function useSaveWorkspaceSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: WorkspaceSettingsPatch) =>
      api('PATCH', '/v1/workspace/settings', WorkspaceSettingsView, patch),
    onSuccess: (view) => qc.setQueryData(SETTINGS_KEY, view),
  });
}
