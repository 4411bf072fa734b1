import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useResetLookup, useResetPassword } from '../../api/account';
import { ApiError } from '../../api/client';
import { keys } from '../../api/queries';
import { HomeLink, NewPasswordFields, newPasswordProblem, PublicCard } from './PublicCard';

/** Why a reset link no longer works, by the server's code. */
const DEAD: Record<string, { title: string; text: string }> = {
  'reset.invalid': {
    title: 'This reset link is not valid',
    text: 'Check that you opened the whole link from the email, or ask for a new one from the sign-in page.',
  },
  'reset.expired': {
    title: 'This reset link has expired',
    text: 'Reset links work for one hour. Ask for a new one from the sign-in page (“Forgot password?”).',
  },
  'reset.used': {
    title: 'This reset link was already used',
    text: 'Each reset link works once. Sign in with your new password, or ask for a new link.',
  },
};

/** `/reset/:token`: a new password typed twice; afterwards every session is signed out. */
export function ResetPage({ token }: { token: string }) {
  const qc = useQueryClient();
  const reset = useResetPassword();
  // A dead link says so on arrival, before anyone types a new password.
  const lookup = useResetLookup(token);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const failed = reset.error ?? lookup.error;
  const code = failed instanceof ApiError ? failed.body.code : '';
  const dead = code.startsWith('reset.') ? (DEAD[code] ?? DEAD['reset.invalid']) : null;
  if (dead)
    return (
      <PublicCard title={dead.title}>
        <p>{dead.text}</p>
        <HomeLink>Go to sign in</HomeLink>
      </PublicCard>
    );
  if (reset.isSuccess)
    return (
      <PublicCard title="Password changed">
        <p role="status">
          Your password is changed, and you are signed out everywhere. Sign in with the new one.
        </p>
        <HomeLink>Sign in</HomeLink>
      </PublicCard>
    );
  return (
    <PublicCard title="Choose a new password">
      <form
        className="public-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (newPasswordProblem(password, repeat)) return;
          reset.mutate(
            { token, password },
            {
              // The reset ended every session of that user: this browser may have held one.
              onSuccess: () => void qc.invalidateQueries({ queryKey: keys.me }),
            },
          );
        }}
      >
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          tried={tried}
        />
        {reset.error && (
          <p className="field-error" role="alert">
            {reset.error.message}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={reset.isPending}>
          {reset.isPending ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </PublicCard>
  );
}
