import type { WorkspaceSecret } from '@hourglass/contract';
import { useState } from 'react';
import { useChangeSecret, useWorkspaceSecrets } from '../../api/secrets';
import { ListPage } from '../ListPage';

/**
 * Workspace secrets (webhook signing keys): names and dates only. A value is visible only while it is
 * typed; once saved it is encrypted and never shown again, so a lost value is replaced by rotating.
 */
export function SecretsSection({ readOnly }: { readOnly: boolean }) {
  const secrets = useWorkspaceSecrets();
  const change = useChangeSecret();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  return (
    <>
      <ListPage
        title="Settings · Secrets"
        actions={
          !readOnly && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                change.mutate(
                  { op: 'create', name: name.trim(), value },
                  {
                    onSuccess: () => {
                      setName('');
                      setValue('');
                    },
                  },
                );
              }}
            >
              <input
                aria-label="New secret name"
                placeholder="crm-webhook"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
              <input
                aria-label="New secret value"
                placeholder="Value"
                autoComplete="off"
                value={value}
                onChange={(e) => setValue(e.target.value)}
              />
              <button type="submit" className="btn primary" disabled={!name.trim() || !value}>
                Add secret
              </button>
            </form>
          )
        }
        query={secrets}
        empty="No secrets yet. Webhook steps sign their requests with one."
        rowKey={(s) => s.name}
        columns={[
          { label: 'Name', render: (s) => <code>{s.name}</code> },
          { label: 'Created', render: (s) => s.createdAt.toLocaleString() },
          { label: 'Rotated', render: (s) => s.rotatedAt?.toLocaleString() ?? 'never' },
          ...(readOnly
            ? []
            : [{ label: 'Actions', render: (s: WorkspaceSecret) => <SecretActions name={s.name} /> }]),
        ]}
      />
      {change.error && (
        <p className="field-error settings-inline" role="alert">
          Could not save the secret: {change.error.message}
        </p>
      )}
    </>
  );
}

/** Rotate (type a new value) or delete (after a confirmation) one secret. */
function SecretActions({ name }: { name: string }) {
  const change = useChangeSecret();
  const [mode, setMode] = useState<'idle' | 'rotate' | 'delete'>('idle');
  const [value, setValue] = useState('');
  const done = () => {
    setMode('idle');
    setValue('');
  };
  if (mode === 'rotate')
    return (
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate({ op: 'rotate', name, value }, { onSuccess: done });
        }}
      >
        <input
          aria-label={`New value for ${name}`}
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="btn primary" disabled={!value}>
          Save
        </button>
        <button type="button" className="btn" onClick={done}>
          Cancel
        </button>
        {change.error && <span className="field-error">{change.error.message}</span>}
      </form>
    );
  if (mode === 'delete')
    return (
      <span className="row">
        Delete {name}? Webhook steps using it will fail.
        <button
          type="button"
          className="btn danger"
          onClick={() => change.mutate({ op: 'delete', name }, { onSuccess: done })}
        >
          Confirm delete
        </button>
        <button type="button" className="btn" onClick={done}>
          Cancel
        </button>
        {change.error && <span className="field-error">{change.error.message}</span>}
      </span>
    );
  return (
    <span className="row">
      <button type="button" className="btn" aria-label={`Rotate ${name}`} onClick={() => setMode('rotate')}>
        Rotate
      </button>
      <button type="button" className="btn" aria-label={`Delete ${name}`} onClick={() => setMode('delete')}>
        Delete
      </button>
    </span>
  );
}
