import type { InvitationCreated, Role } from '@hourglass/contract';
import { useState } from 'react';
import { type Invitation, useInvitations, useInvite, useRevokeInvitation } from '../../api/team';
import { CopyButton } from '../../ui/CopyButton';
import { ListPage } from '../ListPage';
import { grantable, ROLE_HINT } from './roles';

/** Invite by email with a role (the link is shown once), and the invitations sent, with revoke. */
export function InvitationsPanel({ owner }: { owner: boolean }) {
  const invitations = useInvitations();
  const invite = useInvite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const sent = invite.data;
  return (
    <>
      <ListPage
        title="Invitations"
        actions={
          <form
            className="row"
            aria-label="Invite someone"
            onSubmit={(e) => {
              e.preventDefault();
              if (email.trim())
                invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
            }}
          >
            <input
              type="email"
              aria-label="Email to invite"
              placeholder="teammate@example.com"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <select
              aria-label="Role to invite as"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
            >
              {grantable(owner).map((r) => (
                <option key={r} value={r} title={ROLE_HINT[r]}>
                  {r}
                </option>
              ))}
            </select>
            <button type="submit" className="btn primary" disabled={invite.isPending}>
              {invite.isPending ? 'Inviting…' : 'Invite'}
            </button>
          </form>
        }
        query={invitations}
        empty="No invitations yet."
        rowKey={(i) => i.id}
        rowClass={(i) => (i.status === 'pending' ? undefined : 'revoked')}
        columns={[
          { label: 'Email', render: (i) => i.email },
          { label: 'Role', render: (i) => i.role },
          { label: 'Status', render: (i) => i.status },
          { label: 'Sent', render: (i) => i.createdAt.toLocaleString() },
          { label: 'Expires', render: (i) => i.expiresAt.toLocaleString() },
          { label: 'Actions', render: (i) => (i.status === 'pending' ? <Revoke invitation={i} /> : null) },
        ]}
      />
      <p className="muted small settings-inline">
        The role decides what they can do: {ROLE_HINT[role]} ({role}).
      </p>
      {invite.error && (
        <p className="field-error settings-inline" role="alert">
          Could not invite: {invite.error.message}
        </p>
      )}
      {sent && (
        <div className="notice invite-link" role="status">
          <p>
            Invitation for <strong>{sent.email}</strong> as {sent.role}. {deliveryText(sent)} The link is
            shown once:
          </p>
          <p className="row">
            <code data-testid="invitation-link">{sent.link}</code>{' '}
            <CopyButton text={sent.link} label="Copy link" />
          </p>
          <p className="small muted">It works once and expires {sent.expiresAt.toLocaleString()}.</p>
        </div>
      )}
    </>
  );
}

/** Where the invitation email went, so the inviter knows whether to pass the link on themselves. */
function deliveryText({ delivery }: InvitationCreated) {
  if (delivery.provider === 'outbox')
    return 'No email provider is set up, so it was not emailed: copy the link and send it to them yourself.';
  if (delivery.status === 'failed') return 'The email could not be sent: copy the link and send it yourself.';
  return 'We also emailed this link to them; copy it if you want to send it another way.';
}

function Revoke({ invitation }: { invitation: Invitation }) {
  const revoke = useRevokeInvitation();
  return (
    <span className="row">
      <button
        type="button"
        className="btn small"
        aria-label={`Revoke invitation for ${invitation.email}`}
        disabled={revoke.isPending}
        onClick={() => revoke.mutate(invitation.id)}
      >
        Revoke
      </button>
      {revoke.error && (
        <span className="field-error" role="alert">
          {revoke.error.message}
        </span>
      )}
    </span>
  );
}
