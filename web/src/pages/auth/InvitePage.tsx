import { useState } from 'react';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { type InvitationLookup, useAcceptInvitation, useInvitationLookup } from '../../api/team';
import { navigate } from '../../router';
import { toast } from '../../ui/toast';
import { ROLE_HINT } from '../settings/roles';
import { HomeLink, NewPasswordFields, newPasswordProblem, PublicCard } from './PublicCard';

/** Why an invitation link no longer works, by the server's code. */
const DEAD: Record<string, { title: string; text: string }> = {
  'invitation.invalid': {
    title: 'This invitation link is not valid',
    text: 'Check that you opened the whole link from the email, or ask for a new invitation.',
  },
  'invitation.expired': {
    title: 'This invitation has expired',
    text: 'Invitations work for a limited time. Ask the person who invited you to send a new one.',
  },
  'invitation.used': {
    title: 'This invitation was already accepted',
    text: 'Each invitation link works once. If it was you, sign in with your email and password.',
  },
  'invitation.revoked': {
    title: 'This invitation was withdrawn',
    text: 'Whoever sent it revoked it. Ask them for a new invitation if you still need access.',
  },
};

const deadLink = (e: Error | null) =>
  e instanceof ApiError && e.body.code.startsWith('invitation.')
    ? (DEAD[e.body.code] ?? DEAD['invitation.invalid'])
    : null;

/** `/invite/:token`: what the invitation is for, then create the account (or confirm it) and join. */
export function InvitePage({ token }: { token: string }) {
  const lookup = useInvitationLookup(token);
  const accept = useAcceptInvitation();
  const dead = deadLink(lookup.error) ?? deadLink(accept.error);
  if (lookup.isLoading)
    return (
      <PublicCard title="Invitation">
        <p className="muted">Loading…</p>
      </PublicCard>
    );
  if (dead || !lookup.data)
    return (
      <PublicCard title={dead?.title ?? 'Could not open this invitation'}>
        <p>{dead?.text ?? lookup.error?.message}</p>
        <HomeLink>Go to sign in</HomeLink>
      </PublicCard>
    );
  return <AcceptForm token={token} invitation={lookup.data} accept={accept} />;
}

function AcceptForm({
  token,
  invitation: inv,
  accept,
}: {
  token: string;
  invitation: InvitationLookup;
  accept: ReturnType<typeof useAcceptInvitation>;
}) {
  const me = useMe().data;
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  // The invited person already signed in here needs no password.
  const signedInAsInvitee = me?.user?.email.toLowerCase() === inv.email.toLowerCase();
  const mode = signedInAsInvitee ? 'session' : inv.accountExists ? 'existing' : 'new';
  const submit = () => {
    setTried(true);
    if (mode === 'new' && (!name.trim() || newPasswordProblem(password, repeat))) return;
    const body =
      mode === 'session'
        ? { token }
        : mode === 'existing'
          ? { token, password }
          : { token, name: name.trim(), password };
    accept.mutate(body, {
      onSuccess: (joined) => {
        navigate('/journeys');
        toast(`Welcome to ${joined.workspace.name}`);
      },
    });
  };
  return (
    <PublicCard title={`Join ${inv.workspaceName}`}>
      <form
        className="public-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p>
          <strong>{inv.email}</strong> is invited as <strong>{inv.role}</strong>: {ROLE_HINT[inv.role]}.
        </p>
        <p className="small muted">This link works once, until {inv.expiresAt.toLocaleString()}.</p>
        {mode === 'new' && (
          <>
            <label htmlFor="invite-name">Your name</label>
            <input
              id="invite-name"
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <NewPasswordFields
              password={password}
              repeat={repeat}
              onPassword={setPassword}
              onRepeat={setRepeat}
              tried={tried}
            />
          </>
        )}
        {mode === 'existing' && (
          <>
            <p className="small">You already have an account: confirm it with your password.</p>
            <label htmlFor="invite-password">Password</label>
            <input
              id="invite-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        )}
        {accept.error && (
          <p className="field-error" role="alert">
            {accept.error.message}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : mode === 'new' ? 'Create account and join' : 'Join workspace'}
        </button>
      </form>
    </PublicCard>
  );
}
