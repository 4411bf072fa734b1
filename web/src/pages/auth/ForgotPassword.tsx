import { useState } from 'react';
import { useForgotPassword } from '../../api/account';
import { PublicCard } from './PublicCard';

/** Asks for a reset link by email; the answer never says whether the account exists. */
export function ForgotPassword({ initialEmail, onBack }: { initialEmail: string; onBack: () => void }) {
  const forgot = useForgotPassword();
  const [email, setEmail] = useState(initialEmail);
  return (
    <PublicCard title="Reset your password">
      {forgot.isSuccess ? (
        <p role="status">
          If an account exists for <strong>{email}</strong>, we sent a link to choose a new password. It works
          once, for one hour.
        </p>
      ) : (
        <form
          className="public-form"
          onSubmit={(e) => {
            e.preventDefault();
            forgot.mutate(email.trim());
          }}
        >
          <label htmlFor="forgot-email">Email</label>
          <input
            id="forgot-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          {forgot.error && (
            <p className="field-error" role="alert">
              {forgot.error.message}
            </p>
          )}
          <button type="submit" className="btn primary wide" disabled={forgot.isPending}>
            {forgot.isPending ? 'Sending…' : 'Send reset link'}
          </button>
        </form>
      )}
      <button type="button" className="link-btn" onClick={onBack}>
        Back to sign in
      </button>
    </PublicCard>
  );
}
