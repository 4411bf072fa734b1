import { type ApiKey, Scope } from '@hourglass/contract';
import { useState } from 'react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../api/account';
import { CopyButton } from '../../ui/CopyButton';
import { ListPage } from '../ListPage';

const SCOPE_HINT: Record<Scope, string> = {
  ingest: 'send events',
  read: 'read everything',
  write: 'edit journeys, segments, templates',
  support: 'cancel runs, retry messages, change consent',
  admin: 'settings, members, keys',
};

/** The workspace's API keys (admins): create with scopes and a note, see last use, revoke. */
export function ApiKeysSection() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['ingest', 'read']);
  const toggle = (s: Scope, on: boolean) =>
    setScopes((cur) => Scope.options.filter((o) => (o === s ? on : cur.includes(o))));
  return (
    <>
      <ListPage
        title="Settings · API keys"
        actions={
          <form
            className="row key-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!name.trim() || !scopes.length) return;
              create.mutate(
                { name: name.trim(), scopes, note: note.trim() },
                {
                  onSuccess: () => {
                    setName('');
                    setNote('');
                  },
                },
              );
            }}
          >
            <input
              aria-label="New key name"
              placeholder="Key name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <input
              aria-label="Key note"
              placeholder="What is it for? (optional)"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <fieldset className="scope-picks">
              <legend className="sr-only">Key scopes</legend>
              {Scope.options.map((s) => (
                <label key={s} title={SCOPE_HINT[s]}>
                  <input
                    type="checkbox"
                    checked={scopes.includes(s)}
                    onChange={(e) => toggle(s, e.target.checked)}
                  />{' '}
                  {s}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="btn primary" disabled={!scopes.length}>
              Create key
            </button>
          </form>
        }
        query={keys}
        empty="No API keys yet."
        rowKey={(k) => k.id}
        rowClass={(k) => (k.revokedAt ? 'revoked' : undefined)}
        columns={[
          {
            label: 'Name',
            render: (k) => (
              <>
                {k.name}
                {k.note && <div className="small muted">{k.note}</div>}
              </>
            ),
          },
          { label: 'Key', render: (k) => <code>{k.prefix}…</code> },
          { label: 'Scopes', render: (k) => k.scopes.join(', ') },
          { label: 'Created', render: (k) => k.createdAt.toLocaleDateString() },
          { label: 'Last used', render: (k) => k.lastUsedAt?.toLocaleString() ?? 'never' },
          { label: 'Status', render: (k) => <KeyStatus k={k} /> },
        ]}
      />
      {create.error && (
        <p className="field-error settings-inline" role="alert">
          Could not create the key: {create.error.message}
        </p>
      )}
      {create.data && (
        <p className="notice" role="status">
          Copy this key now, it is shown once: <code>{create.data.key}</code>{' '}
          <CopyButton text={create.data.key} label="Copy key" />
        </p>
      )}
    </>
  );
}

/** Active with a Revoke button (asks first), or "Revoked <date>". */
function KeyStatus({ k }: { k: ApiKey }) {
  const revoke = useRevokeApiKey();
  const [asking, setAsking] = useState(false);
  if (k.revokedAt) return <span className="muted">Revoked {k.revokedAt.toLocaleString()}</span>;
  if (!asking)
    return (
      <button type="button" className="btn small" title={`Revoke ${k.name}`} onClick={() => setAsking(true)}>
        Revoke
      </button>
    );
  return (
    <span className="row">
      Revoke {k.name}? Requests with it fail at once.
      <button type="button" className="btn small danger" onClick={() => revoke.mutate(k.id)}>
        Confirm revoke
      </button>
      <button type="button" className="btn small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {revoke.error && <span className="field-error">{revoke.error.message}</span>}
    </span>
  );
}
