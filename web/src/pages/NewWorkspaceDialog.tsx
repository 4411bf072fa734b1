import { useEffect, useRef, useState } from 'react';
import { useCreateWorkspace } from '../api/team';
import { navigate } from '../router';
import { toast } from '../ui/toast';

// Every IANA zone the browser knows; the user's own (the default) and UTC on top, since some browsers omit UTC.
const HERE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = [...new Set([HERE, 'UTC', ...Intl.supportedValuesOf('timeZone')])];

/** Creates a workspace (a brand of its own: name, time zone, brand name) and switches to it. */
export function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const create = useCreateWorkspace();
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState(HERE);
  const [brandName, setBrandName] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setName('');
      setBrandName('');
      create.reset();
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open, create.reset]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-ws-title" onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name: name.trim(), timezone, ...(brandName.trim() ? { brandName: brandName.trim() } : {}) },
            {
              onSuccess: (me) => {
                onClose();
                navigate('/journeys');
                toast(`Workspace “${me.workspace.name}” created; you are its owner.`);
              },
            },
          );
        }}
      >
        <h2 id="new-ws-title">New workspace</h2>
        <p className="muted">
          A workspace has its own journeys, customers, channels, keys and members. You will be its owner.
        </p>
        <label htmlFor="new-ws-name">Workspace name</label>
        <input
          id="new-ws-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="new-ws-tz">Time zone</label>
        <select id="new-ws-tz" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {ZONES.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <label htmlFor="new-ws-brand">Brand name (in emails; optional)</label>
        <input
          id="new-ws-brand"
          maxLength={100}
          value={brandName}
          onChange={(e) => setBrandName(e.target.value)}
        />
        {create.error && (
          <p className="field-error" role="alert">
            {create.error.message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? 'Creating…' : 'Create workspace'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
