import { useMe, useWorkspaceSettings } from '../api/queries';
import { useChannelSettings } from '../api/settings';
import { ApiKeysSection } from './settings/ApiKeysSection';
import { EmailProviderCard, SenderIdentityCard, SmsProviderCard } from './settings/ChannelForms';
import { SecretsSection } from './settings/SecretsSection';
import { BrandCard, SendingRulesCard } from './settings/SendingForms';
import '../styles/settings.css';

/** API keys, workspace secrets, channel providers, sender identity, sending rules and brand, each card saved on its own. */
export function SettingsPage() {
  const me = useMe();
  const settings = useWorkspaceSettings();
  const channels = useChannelSettings();
  // Changing settings needs the admin scope (owners); everyone else sees them read-only.
  const readOnly = !me.data?.scopes.includes('admin');
  const failed = settings.error ?? channels.error;
  return (
    <>
      <ApiKeysSection />
      <SecretsSection readOnly={readOnly} />
      <div className="list-page settings-page">
        {failed && <p className="field-error">Could not load settings: {failed.message}</p>}
        {(settings.isLoading || channels.isLoading) && <p className="muted">Loading settings…</p>}
        <section className="settings-forms" aria-label="Workspace settings">
          {channels.data && (
            <>
              <EmailProviderCard view={channels.data.email} readOnly={readOnly} />
              <SmsProviderCard view={channels.data.sms} readOnly={readOnly} />
              <SenderIdentityCard view={channels.data.email} readOnly={readOnly} />
            </>
          )}
          {settings.data && (
            <>
              <SendingRulesCard view={settings.data} readOnly={readOnly} />
              <BrandCard view={settings.data} readOnly={readOnly} />
            </>
          )}
        </section>
      </div>
    </>
  );
}
