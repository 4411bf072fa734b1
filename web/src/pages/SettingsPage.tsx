import { useState } from 'react';
import { useApiKeys, useCreateApiKey, useWorkspaceSettings } from '../api/queries';
import { humanize } from '../inspector/schema';
import { ListPage } from './ListPage';

const GROUPS = ['channels', 'quietHours', 'frequencyCaps', 'brand'];

/** API keys, and the workspace settings groups (read-only until the settings route is final). */
export function SettingsPage() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const settings = useWorkspaceSettings();
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
      {create.data && (
        <p className="notice" role="status">
          Copy this key now, it is shown once: <code>{create.data.key}</code>
        </p>
      )}
      <section className="list-page settings-groups" aria-label="Workspace settings">
        {GROUPS.map((g) => (
          <article key={g} className="settings-card">
            <h2>{humanize(g)}</h2>
            <pre className="small">
              {settings.data
                ? JSON.stringify((settings.data as Record<string, unknown>)[g] ?? null, null, 2)
                : settings.error
                  ? 'Not available yet'
                  : 'Loading…'}
            </pre>
          </article>
        ))}
      </section>
    </>
  );
}
