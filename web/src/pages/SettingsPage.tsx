import { useAccess } from '../access';
import { useWorkspaceSettings } from '../api/queries';
import { useChannelSettings } from '../api/settings';
import { navigate, usePath } from '../router';
import { ApiKeysSection } from './settings/ApiKeysSection';
import { AuditSection } from './settings/AuditSection';
import { EmailProviderCard, SenderIdentityCard, SmsProviderCard } from './settings/ChannelForms';
import { LinksCard } from './settings/LinksCard';
import { MembersSection } from './settings/MembersSection';
import { SecretsSection } from './settings/SecretsSection';
import { BrandCard, SendingRulesCard } from './settings/SendingForms';
import { StoreSection } from './settings/StoreSection';
import { TrackingCard } from './settings/TrackingCard';
import { WorkspaceSection } from './settings/WorkspaceSection';
import '../styles/settings.css';

/** Settings sections; a section the role cannot use is not listed. */
const TABS = [
  { path: '/settings', label: 'General', show: () => true },
  { path: '/settings/members', label: 'Members', show: () => true },
  { path: '/settings/store', label: 'Store', show: () => true },
  { path: '/settings/audit', label: 'Audit log', show: (a: Access) => a.can('admin') },
  { path: '/settings/workspace', label: 'Workspace', show: (a: Access) => a.owner },
] as const;
type Access = ReturnType<typeof useAccess>;

/** Settings: general (keys, secrets, channels, sending, brand), members, audit log and the workspace itself. */
export function SettingsPage() {
  const path = usePath();
  const access = useAccess();
  const tabs = TABS.filter((t) => t.show(access));
  const current = tabs.find((t) => t.path === path) ?? tabs[0];
  return (
    <>
      <nav className="tabs settings-tabs" aria-label="Settings sections">
        {tabs.map((t) => (
          <a
            key={t.path}
            href={t.path}
            className={`tab${t === current ? ' active' : ''}`}
            aria-current={t === current ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(t.path);
            }}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {current?.path === '/settings/members' ? (
        <MembersSection />
      ) : current?.path === '/settings/store' ? (
        <StoreSection readOnly={!access.can('admin')} />
      ) : current?.path === '/settings/audit' ? (
        <AuditSection />
      ) : current?.path === '/settings/workspace' ? (
        <WorkspaceSection />
      ) : (
        <GeneralSettings admin={access.can('admin')} />
      )}
    </>
  );
}

/** API keys, workspace secrets, channel providers, sender identity, sending rules and brand, each card saved on its own. */
function GeneralSettings({ admin }: { admin: boolean }) {
  const settings = useWorkspaceSettings();
  const channels = useChannelSettings();
  // Changing settings needs the admin permission (owners, admins); everyone else sees them read-only.
  const readOnly = !admin;
  const failed = settings.error ?? channels.error;
  return (
    <>
      {admin && <ApiKeysSection />}
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
              <LinksCard view={settings.data} readOnly={readOnly} />
              <TrackingCard view={settings.data} readOnly={readOnly} />
            </>
          )}
        </section>
      </div>
    </>
  );
}
