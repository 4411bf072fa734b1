import type { Graph } from '@hourglass/journey';
import { useEffect, useRef, useState } from 'react';
import { AudienceEstimate } from './AudienceEstimate';
import { toGraph } from './graph';
import { useEditorApi } from './store';

/** Asks for a publish note; Enter in the note field does not submit (notes may span lines). */
export function PublishDialog({
  journeyId,
  open,
  busy,
  error,
  onCancel,
  onPublish,
}: {
  journeyId: string;
  open: boolean;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onPublish: (note: string) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const store = useEditorApi();
  // The canvas as it is when the dialog opens: the estimate is of what is about to be published.
  const [asked, setAsked] = useState<{ graph: Graph; n: number } | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setNote('');
      const { nodes, edges } = store.getState();
      setAsked((prev) => ({ graph: toGraph(nodes, edges), n: (prev?.n ?? 0) + 1 }));
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open, store]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="publish-title" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onPublish(note);
        }}
      >
        <h2 id="publish-title">Publish journey</h2>
        <p className="muted">
          New customers enter the new version; customers already in the journey finish the version they
          started.
        </p>
        {open && (
          <AudienceEstimate journeyId={journeyId} graph={asked?.graph ?? null} asked={asked?.n ?? 0} />
        )}
        <label htmlFor="publish-note">What changed?</label>
        <textarea
          id="publish-note"
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="e.g. Shorter wait before the review email"
        />
        {error && <p className="field-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Publishing…' : 'Publish'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
