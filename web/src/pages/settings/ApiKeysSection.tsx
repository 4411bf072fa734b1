import { useState } from 'react';
import { useApiKeys, useCreateApiKey } from '../../api/queries';
import { ListPage } from '../ListPage';

/** The workspace's API keys, and creating one (its secret is shown once). */
export function ApiKeysSection() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  return (
    <>
      <ListPage
        title="Settings · API keys"
        actions={
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) create.mutate(name.trim(), { onSuccess: () => setName('') });
            }}
          >
            <input
              aria-label="New key name"
              placeholder="Key name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn primary">
              Create key
            </button>
          </form>
        }
        query={keys}
        empty="No API keys yet."
        rowKey={(k) => k.id}
        columns={[
          { label: 'Name', render: (k) => k.name },
          { label: 'Key', render: (k) => <code>{k.prefix}…</code> },
          { label: 'Scopes', render: (k) => k.scopes.join(', ') },
          { label: 'Last used', render: (k) => k.lastUsedAt?.toLocaleString() ?? 'never' },
        ]}
      />
      {create.error && (
        <p className="field-error settings-inline" role="alert">
          Could not create the key: {create.error.message}
        </p>
      )}
      {create.data && (
        <p className="notice" role="status">
          Copy this key now, it is shown once: <code>{create.data.key}</code>
        </p>
      )}
    </>
  );
}
