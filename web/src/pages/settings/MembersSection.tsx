import { Role } from '@hourglass/contract';
import { useState } from 'react';
import { useAccess } from '../../access';
import { type Member, useChangeRole, useLeaveWorkspace, useMembers, useRemoveMember } from '../../api/team';
import { ListPage } from '../ListPage';
import { InvitationsPanel } from './InvitationsPanel';
import { grantable } from './roles';

/** Members with their roles; admins change roles, remove members and invite people. */
export function MembersSection() {
  const members = useMembers();
  const { can, owner, me } = useAccess();
  const admin = can('admin');
  return (
    <>
      <ListPage
        title="Settings · Members"
        query={members}
        empty="No members."
        rowKey={(m) => m.userId}
        columns={[
          { label: 'Name', render: (m) => m.name || '—' },
          { label: 'Email', render: (m) => m.email },
          {
            label: 'Role',
            render: (m) =>
              admin ? <RolePicker member={m} owner={owner} /> : <span className="pill">{m.role}</span>,
          },
          { label: 'Joined', render: (m) => m.joinedAt.toLocaleDateString() },
          {
            label: 'Actions',
            render: (m) =>
              m.userId === me?.user?.id ? (
                <LeaveWorkspace />
              ) : admin && (owner || m.role !== 'owner') ? (
                <RemoveMember member={m} />
              ) : null,
          },
        ]}
      />
      {admin ? (
        <InvitationsPanel owner={owner} />
      ) : (
        <p className="muted settings-inline">Owners and admins invite people and change roles.</p>
      )}
    </>
  );
}

/** A member's role as a select; the server's refusal (e.g. the last owner) is shown beside it. */
function RolePicker({ member, owner }: { member: Member; owner: boolean }) {
  const change = useChangeRole();
  // Only an owner may change an owner's role or make someone an owner.
  const locked = !owner && member.role === 'owner';
  const roles = locked ? Role.options : grantable(owner);
  return (
    <span className="row">
      <select
        aria-label={`Role of ${member.email}`}
        value={member.role}
        disabled={locked || change.isPending}
        title={locked ? "Only an owner can change an owner's role." : undefined}
        onChange={(e) => change.mutate({ userId: member.userId, role: e.target.value as Role })}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {change.error && (
        <span className="field-error" role="alert">
          {change.error.message}
        </span>
      )}
    </span>
  );
}

/** Remove, after a confirmation; their access to this workspace ends at once. */
function RemoveMember({ member }: { member: Member }) {
  const remove = useRemoveMember();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className="btn small"
        aria-label={`Remove ${member.email}`}
        onClick={() => setAsking(true)}
      >
        Remove
      </button>
    );
  return (
    <span className="row">
      Remove {member.email}? They lose access at once.
      <button type="button" className="btn small danger" onClick={() => remove.mutate(member.userId)}>
        Confirm remove
      </button>
      <button type="button" className="btn small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {remove.error && (
        <span className="field-error" role="alert">
          {remove.error.message}
        </span>
      )}
    </span>
  );
}

/** Leave this workspace yourself (the last owner is refused, and told why). */
function LeaveWorkspace() {
  const leave = useLeaveWorkspace();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn small" onClick={() => setAsking(true)}>
        Leave workspace
      </button>
    );
  return (
    <span className="row">
      Leave this workspace? You lose access at once.
      <button type="button" className="btn small danger" onClick={() => leave.mutate()}>
        Confirm leave
      </button>
      <button type="button" className="btn small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {leave.error && (
        <span className="field-error" role="alert">
          {leave.error.message}
        </span>
      )}
    </span>
  );
}
