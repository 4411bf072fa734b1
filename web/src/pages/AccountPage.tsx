import { useState } from 'react';
import { useChangePassword, useSignOutEverywhere } from '../api/account';
import { useMe } from '../api/queries';
import { NewPasswordFields, newPasswordProblem } from './auth/PublicCard';
import '../styles/settings.css';

/** The signed-in user's account: who they are here, change password, sign out everywhere. */
export function AccountPage() {
  const me = useMe().data;
  return (
    <div className="list-page">
      <header className="page-header">
        <div>
          <h1>Account</h1>
          <p className="muted">
            {me?.user?.name ? `${me.user.name} · ` : ''}
            {me?.user?.email} · {me?.role} in {me?.workspace.name}
          </p>
        </div>
      </header>
      <section className="settings-forms" aria-label="Account">
        <PasswordCard />
        <SessionsCard />
      </section>
    </div>
  );
}

function PasswordCard() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  return (
    <section className="settings-card settings-form" aria-label="Change password">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (newPasswordProblem(password, repeat)) return;
          change.mutate(
            { currentPassword: current, newPassword: password },
            {
              onSuccess: () => {
                setCurrent('');
                setPassword('');
                setRepeat('');
                setTried(false);
              },
            },
          );
        }}
      >
        <h2>Change password</h2>
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPassword={(v) => {
            setPassword(v);
            change.reset();
          }}
          onRepeat={setRepeat}
          tried={tried}
        />
        {change.error && (
          <p className="field-error" role="alert">
            {change.error.message}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="btn primary" disabled={change.isPending}>
            Change password
          </button>
          {change.isSuccess && (
            <span className="settings-saved" role="status">
              Password changed; your other sessions were signed out.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function SessionsCard() {
  const everywhere = useSignOutEverywhere();
  return (
    <section className="settings-card settings-form" aria-label="Sessions">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          everywhere.mutate();
        }}
      >
        <h2>Sessions</h2>
        <p className="small">
          Signed in on a computer you no longer use, or a password you think someone knows? End every session
          of your account, this one included.
        </p>
        {everywhere.error && (
          <p className="field-error" role="alert">
            {everywhere.error.message}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="btn danger" disabled={everywhere.isPending}>
            Sign out everywhere
          </button>
        </div>
      </form>
    </section>
  );
}
