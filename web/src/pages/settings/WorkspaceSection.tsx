import { useState } from 'react';
import { useMe } from '../../api/queries';
import { useDeleteWorkspace, useRenameWorkspace } from '../../api/team';
import { navigate } from '../../router';
import { toast } from '../../ui/toast';

/** The workspace itself (owners): rename it, or delete it after typing its name. */
export function WorkspaceSection() {
  const me = useMe().data;
  if (!me) return null;
  return (
    <div className="list-page">
      <header className="page-header">
        <h1>Settings · Workspace</h1>
      </header>
      <section className="settings-forms" aria-label="Workspace">
        <RenameCard key={me.workspace.id} current={me.workspace.name} />
        <DeleteCard key={`${me.workspace.id}-delete`} name={me.workspace.name} />
      </section>
    </div>
  );
}

function RenameCard({ current }: { current: string }) {
  const rename = useRenameWorkspace();
  const [name, setName] = useState(current);
  return (
    <section className="settings-card settings-form" aria-label="Rename workspace">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate(name.trim(), { onSuccess: () => toast(`Renamed to “${name.trim()}”`) });
        }}
      >
        <h2>Name</h2>
        <label htmlFor="ws-name">Workspace name</label>
        <input id="ws-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        {rename.error && (
          <p className="field-error" role="alert">
            {rename.error.message}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="btn primary" disabled={rename.isPending || !name.trim()}>
            Rename
          </button>
        </div>
      </form>
    </section>
  );
}

function DeleteCard({ name }: { name: string }) {
  const remove = useDeleteWorkspace();
  const [typed, setTyped] = useState('');
  return (
    <section className="settings-card settings-form danger-zone" aria-label="Delete workspace">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          remove.mutate(typed, {
            onSuccess: () => {
              toast(`Deleted “${name}”`);
              navigate('/journeys');
            },
          });
        }}
      >
        <h2>Delete this workspace</h2>
        <p className="small">
          Stops every running journey, then removes its journeys, customers, messages, keys and members. This
          cannot be undone.
        </p>
        <label htmlFor="ws-confirm">
          Type <strong>{name}</strong> to confirm
        </label>
        <input id="ws-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        {remove.error && (
          <p className="field-error" role="alert">
            {remove.error.message}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="btn danger" disabled={typed !== name || remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete workspace'}
          </button>
        </div>
      </form>
    </section>
  );
}
