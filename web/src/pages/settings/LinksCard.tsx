import { WorkspaceSettingsPatch, type WorkspaceSettingsView } from '@hourglass/contract';
import { LINK_PLACEHOLDERS } from '@hourglass/journey';
import { useState } from 'react';
import { useSaveWorkspaceSettings } from '../../api/settings';
import { cardState, orNull, SettingsCard, TextField, useSaveState, zodErrors } from './form';

const PLACEHOLDERS = Object.keys(LINK_PLACEHOLDERS)
  .map((p) => `{${p}}`)
  .join(', ');

/**
 * The shop's link templates: where `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl` point
 * in messages when the order itself carries no such link.
 */
export function LinksCard({ view, readOnly }: { view: WorkspaceSettingsView; readOnly: boolean }) {
  const save = useSaveWorkspaceSettings();
  const state = useSaveState();
  const [reviewUrl, setReviewUrl] = useState(view.links.reviewUrl ?? '');
  const [reorderUrl, setReorderUrl] = useState(view.links.reorderUrl ?? '');
  const [statusUrl, setStatusUrl] = useState(view.links.statusUrl ?? '');
  const submit = () => {
    const patch = {
      links: { reviewUrl: orNull(reviewUrl), reorderUrl: orNull(reorderUrl), statusUrl: orNull(statusUrl) },
    };
    const parsed = WorkspaceSettingsPatch.safeParse(patch);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error));
    save.mutate(parsed.data, { onSuccess: state.succeeded, onError: state.failed });
  };
  const field = (
    label: string,
    key: 'reviewUrl' | 'reorderUrl' | 'statusUrl',
    value: string,
    set: (v: string) => void,
    placeholder: string,
  ) => (
    <TextField
      label={label}
      type="url"
      value={value}
      onChange={state.edit(set)}
      placeholder={placeholder}
      hint={`Messages read it as {{ order.${key} }}.`}
      error={state.errors[`links.${key}`]}
    />
  );
  return (
    <SettingsCard
      title="Links"
      description={`Where the review, reorder and order status links in messages go when the order does not send its own. An https:// address; placeholders are filled for each order: ${PLACEHOLDERS}. Leave blank for none (the preview warns where a message uses it).`}
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      {field(
        'Review page',
        'reviewUrl',
        reviewUrl,
        setReviewUrl,
        'https://shop.example/review/{order.number}',
      )}
      {field(
        'Reorder page',
        'reorderUrl',
        reorderUrl,
        setReorderUrl,
        'https://shop.example/cart/add?sku={sku}',
      )}
      {field(
        'Order status page',
        'statusUrl',
        statusUrl,
        setStatusUrl,
        'https://shop.example/orders/{order.number}',
      )}
    </SettingsCard>
  );
}
