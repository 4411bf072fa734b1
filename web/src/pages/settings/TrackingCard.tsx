import type { WorkspaceSettingsView } from '@hourglass/contract';
import { useState } from 'react';
import { useSaveWorkspaceSettings } from '../../api/settings';
import { cardState, SettingsCard, useSaveState } from './form';

/**
 * Link tracking per channel: whether links in texts and emails go through Hourglass's own redirect,
 * which records clicks (carriers report none for SMS; an email provider's own tracking can instead).
 */
export function TrackingCard({ view, readOnly }: { view: WorkspaceSettingsView; readOnly: boolean }) {
  const save = useSaveWorkspaceSettings();
  const state = useSaveState();
  const [sms, setSms] = useState(view.trackLinks.sms);
  const [email, setEmail] = useState(view.trackLinks.email);
  const submit = () =>
    save.mutate({ trackLinks: { sms, email } }, { onSuccess: state.succeeded, onError: state.failed });
  return (
    <SettingsCard
      title="Link tracking"
      description={
        <>
          A tracked link goes through a short address of this workspace (<code>/r/…</code>) that counts the
          click and sends the customer straight on to the page. Clicks then appear in journey analytics and
          can be waited for or branched on. Link previews and bots are not counted. For email, your provider's
          own click tracking is the alternative: leave email off if it is turned on there. Applies to messages
          sent from now on.
        </>
      }
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <label className="check">
        <input type="checkbox" checked={sms} onChange={(e) => state.edit(setSms)(e.target.checked)} />
        Track links in text messages
      </label>
      <label className="check">
        <input type="checkbox" checked={email} onChange={(e) => state.edit(setEmail)(e.target.checked)} />
        Track links in emails
      </label>
    </SettingsCard>
  );
}
